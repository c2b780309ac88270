package dev.tuneup.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.model.MlpHead;
import dev.tuneup.model.Networks;
import dev.tuneup.train.Losses;
import dev.tuneup.train.Optimizer;
import dev.tuneup.train.Optimizers;
import dev.tuneup.train.ParamGroups;
import dev.tuneup.train.ParamRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bases made by scripts/export_torchvision_base.py at test time (random weights, small inputs): the
 * metadata inside the archive, a whole exported model refused, and the MLP head saved and reloaded.
 * Skipped without python3 torch + torchvision (Debian python3-torch python3-torchvision).
 */
class TorchvisionBaseTest {
    private static final List<String> CLASSES = List.of("a", "b", "c");

    @TempDir
    static Path exports;

    @TempDir
    Path dir;

    private static String python;

    @BeforeAll
    static void findPython() throws Exception {
        System.setProperty("ai.djl.offline", "true");
        for (String p : List.of("/usr/bin/python3", "python3")) {
            try {
                Process proc = new ProcessBuilder(p, "-c", "import torch, torchvision").redirectErrorStream(true).start();
                if (proc.waitFor(120, TimeUnit.SECONDS) && proc.exitValue() == 0) {
                    python = p;
                    return;
                }
            } catch (java.io.IOException e) {
                // not installed here; try the next
            }
        }
    }

    /** Runs the export script; returns the file. */
    static Path export(Path out, String... args) throws Exception {
        assumeTrue(python != null, "python3 with torch and torchvision (Debian python3-torch python3-torchvision) not found");
        Path script = Path.of("..", "scripts", "export_torchvision_base.py");
        if (!Files.isRegularFile(script)) {
            script = Path.of("scripts", "export_torchvision_base.py");
        }
        List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--output", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, log);
        return out;
    }

    @Test
    void anExportCarriesItsPreprocessingAndFeatureMethod() throws Exception {
        Path pt = export(exports.resolve("mnv3.pt"), "mobilenet_v3_small", "--weights", "none", "--size", "32");
        try (NDManager m = NDManager.newBaseManager()) {
            Base b = Base.load(pt.toString(), dir, m, new ArrayList<>());
            BaseMetadata md = b.metadata();
            assertNotNull(md);
            assertEquals("mobilenet_v3_small", md.architecture());
            assertEquals(32, md.size());
            assertEquals("center-crop", md.resize());
            assertEquals(0.875, md.cropFraction(), 1e-9); // torchvision's 224 of 256
            assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, md.mean());
            assertArrayEquals(new float[] {0.229f, 0.224f, 0.225f}, md.std());
            assertEquals(576, md.features());
            assertEquals("none", md.weights());
            Preprocessing pre = b.preprocessing();
            assertNotNull(pre, "a TorchScript base with metadata has preprocessing");
            assertEquals(32, pre.height());
            assertEquals(Preprocessing.CENTER_CROP, pre.resize());
            assertEquals(0.875, pre.cropFraction(), 1e-9);
            assertArrayEquals(md.mean(), pre.mean());
            Base.Adapted a = b.adapt(CLASSES, 3, 32, 32, 0, List.of(), null, m, 1);
            assertTrue(a.description().contains("forward_features -> 576 features, new linear head"), a.description());
            // the network's stages are top-level modules, so recipes can group them
            assertTrue(Layers.of(a.model()).keys().size() > 10, Layers.of(a.model()).keys().toString());
        }
    }

    @Test
    void aWholeResNetExportIsRefusedWithTheHeadlessExport() throws Exception {
        Path pt = export(exports.resolve("whole.pt"), "resnet18", "--weights", "none", "--size", "32", "--whole",
                "--num-classes", "10");
        try (NDManager m = NDManager.newBaseManager()) {
            Base b = Base.load(pt.toString(), dir, m, new ArrayList<>());
            TuneupException e = assertThrows(TuneupException.class, () -> b.adapt(CLASSES, 3, 32, 32, 0, List.of(), null,
                    m, 1));
            assertTrue(e.getMessage().contains("is a whole model: its forward() ends in the classifier fc (Linear 512"
                    + " -> 10), so it returns 10 class scores"), e.getMessage());
            assertTrue(e.fix().startsWith("export it headless: m.fc = torch.nn.Identity(); torch.jit.script(m)"), e.fix());
            // the finetune workflow's load refuses it already, before any data is read
            TuneupException early = assertThrows(TuneupException.class, () -> Base.load(pt.toString(), null, dir, m,
                    new ArrayList<>()));
            assertEquals(e.getMessage(), early.getMessage());
        }
    }

    @Test
    void theCommittedWholeFixtureIsRefusedThroughForwardButUsedThroughForwardFeatures() throws Exception {
        Path pt = Path.of(TorchvisionBaseTest.class.getResource("/torchscript/tiny_with_head.pt").toURI());
        try (NDManager m = NDManager.newBaseManager()) {
            Base b = Base.load(pt.toString(), dir, m, new ArrayList<>());
            TuneupException e = assertThrows(TuneupException.class, () -> b.adapt(CLASSES, 3, 32, 32, 0, List.of(),
                    "forward", m, 1));
            assertTrue(e.getMessage().contains("classifier fc (Linear 16 -> 10)"), e.getMessage());
            assertTrue(b.adapt(CLASSES, 3, 32, 32, 0, List.of(), null, m, 1).description()
                    .contains("forward_features -> 16 features"));
        }
    }

    @Test
    void anMlpHeadTrainsSavesAndReloadsToIdenticalPredictions() throws Exception {
        Path pt = Path.of(TorchvisionBaseTest.class.getResource("/torchscript/tiny_headless.pt").toURI());
        Path bundle = dir.resolve("bundle");
        float[] x = new float[4 * 3 * 32 * 32];
        Random rng = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        float[] before;
        try (NDManager m = NDManager.newBaseManager()) {
            Base b = Base.load(pt.toString(), dir, m, new ArrayList<>());
            Base.Adapted a = b.adapt(CLASSES, 3, 32, 32, 0.5, List.of(12, 8), null, m, 1);
            assertEquals("mlp head [12, 8]", a.network().torchscript().describeHead());
            Block model = a.model();
            assertTrue(model.getChildren().get(1).getValue() instanceof MlpHead);
            Layers layers = Layers.of(model);
            assertEquals("02MlpHead", layers.head(), layers.keys().toString());
            List<ParamRef> params = ParamGroups.of(model, 0, false, n -> false).params();
            Optimizer opt = Optimizers.sgd(0.9, false, false);
            for (int step = 0; step < 3; step++) {
                try (NDManager batch = m.newSubManager()) {
                    for (ParamRef p : params) {
                        if (p.weight().hasGradient()) {
                            p.gradient(batch).set(new NDIndex("..."), 0);
                        }
                    }
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = model.forward(new ParameterStore(batch, false),
                                new NDList(batch.create(x, new Shape(4, 3, 32, 32))), true).singletonOrThrow();
                        gc.backward(Losses.crossEntropy(logits, batch.create(new int[] {0, 1, 2, 0}), 0));
                    }
                    opt.step(params, 0.05);
                }
            }
            before = eval(model, m, x);
            Preprocessing pre = Preprocessing.of(32, 32, new dev.tuneup.loader.Normalization(new float[] {0, 0, 0},
                    new float[] {1, 1, 1}));
            ModelBundle.write(bundle, model, new ModelBundle.Info(a.network(), CLASSES, pre, Map.of(), null));
        }
        assertTrue(Files.readString(bundle.resolve(ModelBundle.MODEL)).contains("\"hidden\" : [ 12, 8 ]"));
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded loaded = ModelBundle.load(bundle, m);
            assertArrayEquals(before, eval(loaded.model(), m, x), "reloaded bundle predicts identically");
        }
    }

    private static float[] eval(Block model, NDManager m, float[] x) {
        try (NDManager s = m.newSubManager()) {
            return model.forward(new ParameterStore(s, false), new NDList(s.create(x, new Shape(4, 3, 32, 32))), false)
                    .singletonOrThrow().toFloatArray();
        }
    }

    @Test
    void theNamedBaseComesFromTheCacheWithItsOwnMetadataFirst() throws Exception {
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        Path tiny = Path.of(TorchvisionBaseTest.class.getResource("/torchscript/tiny_headless.pt").toURI());
        Files.copy(tiny, cache.resolve("resnet18.pt"));
        try (NDManager m = NDManager.newBaseManager()) {
            Base b = Base.load("resnet18", cache, m, new ArrayList<>());
            assertEquals("named base resnet18 (" + cache.resolve("resnet18.pt") + ")", b.description());
            // no tuneup.json inside: the table's entry for DJL's file says 224 px, ImageNet statistics, forward
            assertEquals(224, b.preprocessing().height());
            assertEquals(new dev.tuneup.data.Fit(224, 224, 0.875), b.preprocessing().fit());
            assertEquals("forward", b.metadata().method());
        }
        // a run's lineage points at the cached file, not at a folder called resnet18
        assertEquals(ModelCache.dir().resolve("resnet18.pt"), Base.path("resnet18"));
        assertEquals(Path.of("some/base.pt"), Base.path("some/base.pt"));
    }

    @Test
    void aFileThatIsNoTorchScriptIsRefusedWithHowToExportAndBadMetadataNamesTheFile() throws Exception {
        Path pickle = Files.write(dir.resolve("state_dict.pt"), new byte[] {(byte) 0x80, 2, 'c', 'x'});
        try (NDManager m = NDManager.newBaseManager()) {
            TuneupException e = assertThrows(TuneupException.class, () -> Base.load(pickle.toString(), null, dir, m,
                    new ArrayList<>()));
            assertTrue(e.getMessage().contains("is not a TorchScript archive"), e.getMessage());
        }
        Path bad = dir.resolve("bad.pt");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(bad))) {
            z.putNextEntry(new java.util.zip.ZipEntry("bad/extra/tuneup.json"));
            z.write("{\"size\": -1}".getBytes());
        }
        TuneupException e = assertThrows(TuneupException.class, () -> BaseMetadata.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ": its tuneup.json cannot be read"), e.getMessage());
    }
}
