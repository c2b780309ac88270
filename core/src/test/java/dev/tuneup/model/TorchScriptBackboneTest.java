package dev.tuneup.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.TuneupException;
import dev.tuneup.train.Losses;
import dev.tuneup.train.Optimizer;
import dev.tuneup.train.Optimizers;
import dev.tuneup.train.ParamGroups;
import dev.tuneup.train.ParamRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oracle: PyTorch 1.13 on the same fixtures (core/src/test/python/make_torchscript_fixture.py). */
class TorchScriptBackboneTest {
    private static final String BACKBONE = "01TorchScriptBackbone_";
    private static JsonNode golden;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("ai.djl.offline", "true");
        try (InputStream in = TorchScriptBackboneTest.class.getResourceAsStream("/torchscript/tiny_golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    static Path fixture(String name) throws Exception {
        return Path.of(TorchScriptBackboneTest.class.getResource("/torchscript/" + name).toURI());
    }

    /** The fixture script's input: ((i % 17) / 17 - 0.5) over i, shape [2,3,32,32]. */
    static NDArray fixedInput(NDManager m) {
        float[] v = new float[2 * 3 * 32 * 32];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 17) / 17f - 0.5f;
        }
        return m.create(v, new Shape(2, 3, 32, 32));
    }

    static float[] floats(JsonNode node) {
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) node.get(i).asDouble();
        }
        return out;
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + " [" + i + "]");
        }
    }

    /** BatchNorm running means and variances, via the fixture's exported bn_stats() (DJL exposes no buffers). */
    static List<float[]> bnStats(TorchScriptBackbone b) {
        List<float[]> out = new ArrayList<>();
        try (PtNDManager m = (PtNDManager) NDManager.newBaseManager(); IValue v = IValueUtils.runMethod(b.module(), "bn_stats")) {
            for (PtNDArray a : v.toTensorArray(m)) {
                out.add(a.toFloatArray());
            }
        }
        return out;
    }

    static NDArray eval(Block block, NDManager m, NDArray x) {
        return block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
    }

    /** backbone + Linear(5), initialised as tuneup does (Xavier weights, seeded). */
    static SequentialBlock composite(TorchScriptBackbone backbone, NDManager m, int seed) {
        SequentialBlock model = new SequentialBlock().add(backbone).add(Linear.builder().setUnits(5).build());
        Engine.getInstance().setRandomSeed(seed);
        model.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        return model;
    }

    /** Copies of every parameter's bytes, by name. */
    static Map<String, byte[]> snapshot(Block model) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toByteArray());
        }
        return out;
    }

    /** One SGD step as FitLoop takes it: zeroed gradients, forward in a collector, backward, in-place update. */
    static double step(Block model, List<ParamRef> params, Optimizer opt, NDManager m, int step) {
        Random rng = new Random(step);
        float[] x = new float[8 * 3 * 32 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        int[] labels = {0, 1, 2, 3, 4, 0, 1, 2};
        try (NDManager scope = NDManager.newBaseManager()) {
            for (ParamRef p : params) {
                if (p.weight().hasGradient()) {
                    p.gradient(scope).set(new NDIndex("..."), 0);
                }
            }
        }
        try (NDManager batch = m.newSubManager()) {
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.forward(new ParameterStore(batch, false),
                        new NDList(batch.create(x, new Shape(8, 3, 32, 32))), true).singletonOrThrow();
                NDArray l = Losses.crossEntropy(logits, batch.create(labels), 0);
                loss = l.getFloat();
                gc.backward(l);
            }
            opt.step(params, 0.1);
            return loss;
        }
    }

    static List<ParamRef> trainable(Block model, Predicate<String> frozen) {
        return ParamGroups.of(model, 0, false, frozen).params();
    }

    @Test
    void evalFeaturesMatchPyTorch() throws Exception {
        float[] features = floats(golden.get("eval_features"));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = fixedInput(m);
            for (String file : new String[] {"tiny_headless.pt", "tiny_with_head.pt", "tiny_spatial.pt"}) {
                TorchScriptBackbone b = TorchScriptBackbone.load(fixture(file), null, m);
                assertClose(features, eval(b, m, x).toFloatArray(), 1e-5, file);
                assertEquals(16, b.features(new Shape(7, 3, 32, 32)), file);
            }
            TorchScriptBackbone whole = TorchScriptBackbone.load(fixture("tiny_with_head.pt"), "forward", m);
            NDArray logits = eval(whole, m, x);
            assertEquals(new Shape(2, 10), logits.getShape());
            assertClose(floats(golden.get("eval_logits")), logits.toFloatArray(), 1e-5, "logits");
            List<String> names = new ArrayList<>(TorchScriptBackbone.load(fixture("tiny_headless.pt"), null, m)
                    .getParameters().keys());
            assertEquals(List.of("0.weight", "1.weight", "1.bias", "3.weight", "4.weight", "4.bias"), names);
        }
    }

    @Test
    void theFirstTrainingForwardRunsInTrainingMode() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TorchScriptBackbone b = TorchScriptBackbone.load(fixture("tiny_headless.pt"), null, m);
            JsonNode before = golden.get("bn_stats_before");
            JsonNode after = golden.get("bn_stats_after_one_train_forward");
            for (int k = 0; k < 4; k++) {
                assertClose(floats(before.get(k)), bnStats(b).get(k), 1e-6, "loaded stats " + k);
            }
            NDArray y = b.forward(new ParameterStore(m, false), new NDList(fixedInput(m)), true).singletonOrThrow();
            assertClose(floats(golden.get("train_features")), y.toFloatArray(), 1e-5, "batch-statistics features");
            for (int k = 0; k < 4; k++) {
                assertClose(floats(after.get(k)), bnStats(b).get(k), 1e-6, "stats after one training forward " + k);
            }
            assertClose(floats(golden.get("eval_features_after_one_train_forward")), eval(b, m, fixedInput(m)).toFloatArray(),
                    1e-5, "back in eval mode, with the updated running statistics");
        }
    }

    @Test
    void fineTuningMovesWeightsAndStatisticsFromTheFirstStep() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TorchScriptBackbone b = TorchScriptBackbone.load(fixture("tiny_with_head.pt"), null, m);
            assertEquals("forward_features", b.method());
            SequentialBlock model = composite(b, m, 1);
            assertEquals(new Shape(4, 5), model.getOutputShapes(new Shape[] {new Shape(4, 3, 32, 32)})[0]);
            String stats = ModelStats.of(model, new Shape(1, 3, 32, 32)).toString();
            assertTrue(stats.endsWith("parameters (FLOPs of the TorchScript backbone not counted)"), stats);
            List<ParamRef> params = trainable(model, n -> false);
            Map<String, byte[]> w0 = snapshot(model);
            List<float[]> s0 = bnStats(b);
            try (Optimizer sgd = Optimizers.sgd(0.9, false, false)) {
                assertTrue(Double.isFinite(step(model, params, sgd, m, 0)));
                List<float[]> s1 = bnStats(b);
                for (int k = 0; k < 4; k++) {
                    assertFalse(java.util.Arrays.equals(s0.get(k), s1.get(k)), "BatchNorm buffer " + k + " after step 1");
                }
                step(model, params, sgd, m, 1);
                step(model, params, sgd, m, 2);
            }
            Map<String, byte[]> w3 = snapshot(model);
            for (String name : w0.keySet()) {
                boolean unusedByFeatures = name.startsWith(BACKBONE + "fc.");
                assertEquals(unusedByFeatures, java.util.Arrays.equals(w0.get(name), w3.get(name)), name);
            }
        }
    }

    @Test
    void aFrozenBackboneKeepsEveryByte() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TorchScriptBackbone b = TorchScriptBackbone.load(fixture("tiny_headless.pt"), null, m).freezeStatistics(true);
            SequentialBlock model = composite(b, m, 2);
            List<ParamRef> headOnly = trainable(model, n -> n.startsWith(BACKBONE));
            assertEquals(2, headOnly.size());
            Map<String, byte[]> w0 = snapshot(model);
            List<float[]> s0 = bnStats(b);
            byte[] archive0 = TorchScriptArchive.bytes(b.module());
            try (Optimizer sgd = Optimizers.sgd(0.9, false, false)) {
                for (int i = 0; i < 3; i++) {
                    step(model, headOnly, sgd, m, i);
                }
            }
            Map<String, byte[]> w3 = snapshot(model);
            for (String name : w0.keySet()) {
                assertEquals(!name.startsWith(BACKBONE), !java.util.Arrays.equals(w0.get(name), w3.get(name)), name);
            }
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(s0.get(k), bnStats(b).get(k), "BatchNorm buffer " + k);
            }
            assertArrayEquals(archive0, TorchScriptArchive.bytes(b.module()), "the whole module, buffers included");

            // Frozen statistics do not stop gradients: trained backbone weights move, buffers still do not.
            List<ParamRef> all = trainable(model, n -> false);
            try (Optimizer sgd = Optimizers.sgd(0, false, false)) {
                step(model, all, sgd, m, 3);
            }
            Map<String, byte[]> w4 = snapshot(model);
            for (String name : w0.keySet()) {
                assertFalse(java.util.Arrays.equals(w3.get(name), w4.get(name)), name);
            }
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(s0.get(k), bnStats(b).get(k), "BatchNorm buffer " + k + " with trainable weights");
            }
        }
    }

    @Test
    void savingAndLoadingIsBitExact() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TorchScriptBackbone b1 = TorchScriptBackbone.load(fixture("tiny_headless.pt"), null, m);
            SequentialBlock model1 = composite(b1, m, 3);
            try (Optimizer sgd = Optimizers.sgd(0.9, false, false)) {
                step(model1, trainable(model1, n -> false), sgd, m, 0); // weights and buffers now differ from the file
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model1.saveParameters(new DataOutputStream(bytes));

            TorchScriptBackbone b2 = TorchScriptBackbone.load(fixture("tiny_headless.pt"), null, m);
            SequentialBlock model2 = composite(b2, m, 4);
            b2.getParameters().get("0.weight").getArray().setRequiresGradient(false);
            NDArray x = fixedInput(m);
            assertFalse(java.util.Arrays.equals(eval(model1, m, x).toByteArray(), eval(model2, m, x).toByteArray()));
            model2.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertArrayEquals(eval(model1, m, x).toByteArray(), eval(model2, m, x).toByteArray());
            Map<String, byte[]> w1 = snapshot(model1);
            Map<String, byte[]> w2 = snapshot(model2);
            assertEquals(w1.keySet(), w2.keySet());
            w1.forEach((name, w) -> assertArrayEquals(w, w2.get(name), name));
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(bnStats(b1).get(k), bnStats(b2).get(k), "BatchNorm buffer " + k);
            }
            assertFalse(b2.getParameters().get("0.weight").getArray().hasGradient(), "frozen carries over by name");
            assertTrue(b2.getParameters().get("1.weight").getArray().hasGradient());
            NDArray train1 = model1.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
            NDArray train2 = model2.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
            assertArrayEquals(train1.toByteArray(), train2.toByteArray(), "the loaded module trains in training mode");

            Path pt = dir.resolve("tuned.pt");
            b1.save(pt);
            TorchScriptBackbone b3 = TorchScriptBackbone.load(pt, null, m);
            assertArrayEquals(eval(b1, m, x).toByteArray(), eval(b3, m, x).toByteArray());
        }
    }

    @Test
    void methodLookupAndClearErrors() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals("forward_features", TorchScriptBackbone.load(fixture("tiny_with_head.pt"), null, m).method());
            assertEquals("forward", TorchScriptBackbone.load(fixture("tiny_headless.pt"), null, m).method());

            TuneupException missing = assertThrows(TuneupException.class,
                    () -> TorchScriptBackbone.load(fixture("tiny_with_head.pt"), "embed", m));
            assertTrue(missing.getMessage().contains("tiny_with_head.pt"), missing.getMessage());
            assertTrue(missing.getMessage().contains("'embed'"), missing.getMessage());
            assertTrue(missing.getMessage().contains("forward_features"), missing.getMessage());

            byte[] good = Files.readAllBytes(fixture("tiny_headless.pt"));
            byte[] noise = new byte[2048];
            new Random(5).nextBytes(noise);
            Path random = Files.write(dir.resolve("random.pt"), noise);
            Path truncated = Files.write(dir.resolve("truncated.pt"), java.util.Arrays.copyOf(good, good.length / 2));
            Path missingFile = dir.resolve("absent.pt");
            for (Path bad : new Path[] {random, truncated, fixture("tiny_state_dict.pt"), missingFile}) {
                TuneupException e = assertThrows(TuneupException.class, () -> TorchScriptBackbone.load(bad, null, m));
                assertTrue(e.getMessage().contains(bad.getFileName().toString()), e.getMessage());
                assertTrue(e.fix().contains("torch.jit.script(model).save(path)"), e.fix());
            }
            TuneupException pickle = assertThrows(TuneupException.class,
                    () -> TorchScriptBackbone.load(fixture("tiny_state_dict.pt"), null, m));
            assertTrue(pickle.getMessage().contains("torch.save"), pickle.getMessage());
        }
    }
}
