package dev.tuneup.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelsTest {
    private static NDManager manager;

    @BeforeAll
    static void engine() {
        System.setProperty("ai.djl.offline", "true");
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static Block built(ModelSpec spec) {
        Block b = Models.build(spec);
        b.setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
        b.initialize(manager, DataType.FLOAT32, new Shape(1, spec.inChannels(), spec.height(), spec.widthPx()));
        return b;
    }

    private static Shape forward(Block b, ModelSpec spec, int n, boolean training) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(n, spec.inChannels(), spec.height(), spec.widthPx()));
            return b.forward(new ParameterStore(m, false), new NDList(x), training).singletonOrThrow().getShape();
        }
    }

    private static ModelSpec spec(String arch, int depth, double width, Activations.Kind act, Norms.Kind norm) {
        return new ModelSpec(arch, depth, width, List.of(32, 64), 3, "max", List.of(128), act, norm, 0.2, 0.1,
                arch.equals("cnn") ? 1 : 3, arch.equals("cnn") ? 28 : 32, arch.equals("cnn") ? 28 : 32, 10);
    }

    /** Oracle: the same layouts built in PyTorch (core/src/test/python/gen_model_golden.py). */
    @Test
    void parameterCountsAndFlopsMatchPyTorch() {
        ModelSpec r20 = ModelSpec.resnet(20, 3, 32, 10);
        ModelStats s20 = ModelStats.of(built(r20), new Shape(1, 3, 32, 32));
        assertEquals(272_474, s20.parameters());
        assertEquals(81_626_368, s20.flops());
        ModelSpec r18 = new ModelSpec("resnet18", 18, 1, List.of(), 3, "none", List.of(), Activations.Kind.RELU,
                Norms.Kind.BATCH, 0, 0, 3, 32, 32, 10);
        ModelStats s18 = ModelStats.of(built(r18), new Shape(1, 3, 32, 32));
        assertEquals(11_173_962, s18.parameters());
        assertEquals(1_110_845_440, s18.flops());
        ModelSpec cnn = new ModelSpec("cnn", 0, 1, List.of(32, 64), 3, "max", List.of(128), Activations.Kind.RELU,
                Norms.Kind.BATCH, 0, 0, 1, 28, 28, 10);
        ModelStats sc = ModelStats.of(built(cnn), new Shape(1, 1, 28, 28));
        assertEquals(421_738, sc.parameters());
        assertEquals(8_482_304, sc.flops());
    }

    @Test
    void everyArchitectureWithEveryKnobGivesLogits() {
        for (String arch : List.of("cnn", "resnet", "wrn", "resnet18")) {
            int depth = arch.equals("wrn") ? 10 : 8;
            double width = arch.equals("resnet18") ? 0.125 : 1;
            for (Activations.Kind act : Activations.Kind.values()) {
                ModelSpec s = spec(arch, depth, width, act, Norms.Kind.BATCH);
                Block b = built(s);
                assertEquals(new Shape(2, 10), forward(b, s, 2, true), arch + " " + act);
            }
            for (Norms.Kind norm : Norms.Kind.values()) {
                ModelSpec s = spec(arch, depth, width, Activations.Kind.RELU, norm);
                Block b = built(s);
                assertEquals(new Shape(3, 10), forward(b, s, 3, false), arch + " " + norm);
            }
        }
    }

    @Test
    void wideResNetWidthMultipliesChannels() {
        ModelSpec narrow = spec("wrn", 10, 1, Activations.Kind.RELU, Norms.Kind.BATCH);
        ModelSpec wide = spec("wrn", 10, 4, Activations.Kind.RELU, Norms.Kind.BATCH);
        long a = ModelStats.of(built(narrow), new Shape(1, 3, 32, 32)).parameters();
        long b = ModelStats.of(built(wide), new Shape(1, 3, 32, 32)).parameters();
        assertTrue(b > 10 * a, a + " vs " + b);
    }

    @Test
    void groupNormNormalisesEachGroup() {
        GroupNorm gn = new GroupNorm(2, 4);
        gn.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 2, 2));
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.arange(32f).reshape(2, 4, 2, 2).mul(3).add(7);
            NDArray y = gn.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            NDArray groups = y.reshape(2, 2, 8);
            float[] mean = groups.mean(new int[] {2}).toFloatArray();
            float[] var = groups.sub(groups.mean(new int[] {2}, true)).square().mean(new int[] {2}).toFloatArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(0f, mean[i], 1e-5f);
                assertEquals(1f, var[i], 1e-3f);
            }
        }
    }

    @Test
    void spatialDropoutDropsWholeChannelsOnlyWhileTraining() {
        SpatialDropout d = new SpatialDropout(0.5);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.ones(new Shape(4, 16, 3, 3));
            NDArray eval = d.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            assertEquals(x, eval);
            float[] y = d.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow().toFloatArray();
            for (int ch = 0; ch < 64; ch++) {
                float first = y[ch * 9];
                assertTrue(first == 0f || first == 2f);
                for (int k = 1; k < 9; k++) {
                    assertEquals(first, y[ch * 9 + k], "a channel is dropped whole");
                }
            }
        }
    }

    @Test
    void badSpecsSayWhatIsAllowed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSpec.resnet(21, 3, 32, 10))
                .getMessage().contains("6n+2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec("vgg", 0, 1, Activations.Kind.RELU,
                Norms.Kind.BATCH)).getMessage().contains("cnn, resnet, resnet18, wrn"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec("wrn", 12, 1, Activations.Kind.RELU,
                Norms.Kind.BATCH)).getMessage().contains("6n+4"));
    }
}
