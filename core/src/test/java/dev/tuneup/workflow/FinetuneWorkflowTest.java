package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.util.Pair;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.finetune.Base;
import dev.tuneup.finetune.Layers;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import dev.tuneup.model.TorchScriptBackbone;
import dev.tuneup.track.RunDir;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning end to end on a tiny ImageFolder: a PyTorch TorchScript base and a tuneup bundle base. */
class FinetuneWorkflowTest {
    @TempDir
    Path dir;

    /** 3 classes of 32x32 RGB: a bright red, green or blue stripe at a class-specific height, with noise. */
    private Path stripes() throws IOException {
        Path root = dir.resolve("stripes");
        SplittableRandom rng = new SplittableRandom(3);
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 3; c++) {
                Path folder = root.resolve(split).resolve("class" + c);
                Files.createDirectories(folder);
                for (int i = 0; i < (split.equals("train") ? 24 : 8); i++) {
                    BufferedImage im = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 32; y++) {
                        for (int x = 0; x < 32; x++) {
                            int v = rng.nextInt(60);
                            boolean stripe = y / 11 == c;
                            int rgb = (v << 16) | (v << 8) | v;
                            if (stripe) {
                                rgb |= 0xC0 << (8 * (2 - c));
                            }
                            im.setRGB(x, y, rgb);
                        }
                    }
                    ImageIO.write(im, "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        return root;
    }

    private RunConfig config(Path data, String... more) {
        List<String> sets = new ArrayList<>(List.of("data.name=" + data, "data.val_fraction=0.25",
                "training.batch_size=16", "training.workers=1", "training.seed=5", "output.dir=" + dir.resolve("runs")));
        sets.addAll(List.of(more));
        return ConfigLoader.load(null, sets);
    }

    private FinetuneWorkflow.Result run(RunConfig c) {
        try (NDManager m = NDManager.newBaseManager()) {
            return FinetuneWorkflow.fit(c.resolve(), RunDir.create(dir.resolve("runs"), "ft"), m, Reporter.silent(), null);
        }
    }

    private static Path fixture(String name) throws Exception {
        return Path.of(FinetuneWorkflowTest.class.getResource("/torchscript/" + name).toURI());
    }

    private static Map<String, byte[]> backboneParams(Block backbone) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : backbone.getParameters()) {
            java.nio.ByteBuffer b = p.getValue().getArray().toByteBuffer();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.put(p.getKey(), bytes);
        }
        return out;
    }

    private static List<float[]> bnStats(TorchScriptBackbone b) {
        List<float[]> out = new ArrayList<>();
        try (PtNDManager m = (PtNDManager) NDManager.newBaseManager(); IValue v = IValueUtils.runMethod(b.module(), "bn_stats")) {
            for (PtNDArray a : v.toTensorArray(m)) {
                out.add(a.toFloatArray());
            }
        }
        return out;
    }

    @Test
    void aPyTorchModelFineTunesFrozenBackboneUnchangedAndBatchNormMovesWhenTrained() throws Exception {
        Path data = stripes();
        Path pt = fixture("tiny_headless.pt");
        Map<String, byte[]> before;
        List<float[]> statsBefore;
        try (NDManager m = NDManager.newBaseManager()) {
            TorchScriptBackbone original = TorchScriptBackbone.load(pt, null, m);
            before = backboneParams(original);
            statsBefore = bnStats(original);
        }
        FinetuneWorkflow.Result probe = run(config(data, "finetune.base=" + pt, "finetune.recipe=linear_probe", "finetune.lr=0.05",
                "training.epochs=3"));
        assertEquals(3, probe.history().size());
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = ModelBundle.load(probe.bundle(), m);
            TorchScriptBackbone tuned = (TorchScriptBackbone) b.model().getChildren().get(0).getValue();
            Map<String, byte[]> after = backboneParams(tuned);
            assertEquals(before.keySet(), after.keySet());
            before.forEach((k, v) -> assertArrayEquals(v, after.get(k), "frozen backbone parameter " + k));
            List<float[]> statsAfter = bnStats(tuned);
            for (int i = 0; i < statsBefore.size(); i++) {
                assertArrayEquals(statsBefore.get(i), statsAfter.get(i), "a linear probe keeps BatchNorm statistics");
            }
            assertEquals(List.of("class0", "class1", "class2"), b.info().classes());
        }
        assertTrue(probe.test().accuracy() > 0.5, "the probe learns the stripes: " + probe.test().accuracy());

        FinetuneWorkflow.Result full = run(config(data, "finetune.base=" + pt, "finetune.recipe=full", "finetune.lr=0.05",
                "training.epochs=1"));
        try (NDManager m = NDManager.newBaseManager()) {
            TorchScriptBackbone tuned = (TorchScriptBackbone) ModelBundle.load(full.bundle(), m).model().getChildren()
                    .get(0).getValue();
            List<float[]> statsAfter = bnStats(tuned);
            boolean moved = false;
            for (int i = 0; i < statsBefore.size(); i++) {
                moved |= !java.util.Arrays.equals(statsBefore.get(i), statsAfter.get(i));
            }
            assertTrue(moved, "BatchNorm statistics move in the first epoch of full fine-tuning");
            Map<String, byte[]> after = backboneParams(tuned);
            assertTrue(before.entrySet().stream().anyMatch(e -> !java.util.Arrays.equals(e.getValue(), after.get(e.getKey()))));
        }
    }

    @Test
    void aTuneupBundleFineTunesWithTheLrFinderAndTwoPhases() throws IOException {
        Path data = stripes();
        ModelSpec spec = new ModelSpec("cnn", 0, 1, List.of(8, 16), 3, "max", List.of(16), Activations.Kind.RELU,
                Norms.Kind.BATCH, 0, 0, 3, 32, 32, 2);
        Path base = dir.resolve("base");
        try (NDManager m = NDManager.newBaseManager()) {
            Block model = Networks.create(spec, m, 1);
            Normalization n = new Normalization(new float[] {0.1f, 0.1f, 0.1f}, new float[] {0.2f, 0.2f, 0.2f});
            ModelBundle.write(base, model, new ModelBundle.Info(Networks.Spec.of(spec), List.of("a", "b"),
                    Preprocessing.of(32, 32, n), Map.of()));
        }
        FinetuneWorkflow.Result r = run(config(data, "finetune.base=" + base, "finetune.recipe=fine_tune", "training.epochs=2",
                "finetune.freeze_epochs=1"));
        assertNotNull(r.lrFind());
        assertTrue(r.lr() > 0 && Double.isFinite(r.lr()), "lr " + r.lr());
        assertEquals(List.of(1, 2, 2), r.history().stream().map(FinetuneWorkflow.PhaseEpoch::phase).toList());
        Path run = r.bundle().getParent();
        assertTrue(Files.size(run.resolve("lr-find.png")) > 1000);
        FinetuneWorkflow.Result probe = run(config(data, "finetune.base=" + base, "finetune.recipe=linear_probe",
                "finetune.lr=0.05", "training.epochs=1"));
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, byte[]> before = backboneParams(ModelBundle.load(base, m).model());
            Map<String, byte[]> after = backboneParams(ModelBundle.load(probe.bundle(), m).model());
            Layers layers = Layers.of(ModelBundle.load(probe.bundle(), m).model());
            int same = 0;
            for (Map.Entry<String, byte[]> e : after.entrySet()) {
                if (!layers.isHead(e.getKey()) && layers.depthFromHead(e.getKey()) >= 0) {
                    assertArrayEquals(before.get(e.getKey()), e.getValue(), "frozen " + e.getKey());
                    same++;
                }
            }
            assertTrue(same >= 8, "checked " + same + " backbone tensors");
            String running = after.keySet().stream().filter(k -> k.endsWith("runningMean")).findFirst().orElseThrow();
            assertArrayEquals(before.get(running), after.get(running), "a probe keeps BatchNorm statistics");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = ModelBundle.load(r.bundle(), m);
            assertEquals(3, b.info().network().numClasses());
            assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f}, b.info().preprocessing().mean(), "keeps the base's normalisation");
        }
    }

    @Test
    void theSameClassesKeepTheHeadOtherClassesGetANewOne() {
        ModelSpec spec = new ModelSpec("cnn", 0, 1, List.of(4), 3, "max", List.of(8), Activations.Kind.RELU,
                Norms.Kind.BATCH, 0.2, 0, 3, 8, 8, 3);
        Path base = dir.resolve("b3");
        List<String> names = List.of("a", "b", "c");
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.write(base, Networks.create(spec, m, 3), new ModelBundle.Info(Networks.Spec.of(spec), names,
                    Preprocessing.of(8, 8, new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1})), Map.of()));
            Base b = Base.load(base.toString(), m, new ArrayList<>());
            Map<String, byte[]> orig = backboneParams(b.bundle().model());
            Base.Adapted same = b.adapt(names, 3, 8, 8, 0, List.of(), null, m, 99); // head dropout 0.2 kept, not the 0 asked
            assertTrue(same.description().contains("its head kept"), same.description());
            backboneParams(same.model()).forEach((k, v) -> assertArrayEquals(orig.get(k), v, k));
            Base.Adapted other = b.adapt(List.of("a", "b", "d"), 3, 8, 8, 0, List.of(), null, m, 99);
            assertTrue(other.description().contains("new head"), other.description());
            Layers layers = Layers.of(other.model());
            Map<String, byte[]> now = backboneParams(other.model());
            String head = now.keySet().stream().filter(layers::isHead).findFirst().orElseThrow();
            assertFalse(java.util.Arrays.equals(orig.get(head), now.get(head)), "a fresh head");
        }
    }

    @Test
    void aModelZooNameIsAClearErrorOffline() {
        try (NDManager m = NDManager.newBaseManager()) {
            TuneupException e = assertThrows(TuneupException.class, () -> Base.load("vgg16", m, new ArrayList<>()));
            assertTrue(e.getMessage().contains("never downloads"), e.getMessage());
            assertTrue(e.fix().contains("torch.jit.script"), e.fix());
            TuneupException named = assertThrows(TuneupException.class, () -> Base.load("resnet18", dir.resolve("cache"),
                    m, new ArrayList<>()));
            assertTrue(named.getMessage().contains("not in the model cache " + dir.resolve("cache")), named.getMessage());
            assertEquals("run tuneup model fetch resnet18 (once, with internet)", named.fix());
            TuneupException none = assertThrows(TuneupException.class, () -> Base.load(dir.resolve("x").toString(), m,
                    new ArrayList<>()));
            assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
            TuneupException file = assertThrows(TuneupException.class, () -> Base.load("resnet18-headless.pt", m,
                    new ArrayList<>()));
            assertEquals("base model resnet18-headless.pt does not exist", file.getMessage());
            assertFalse(Files.exists(dir.resolve("x")));
        }
    }
}
