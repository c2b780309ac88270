package dev.tuneup.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.ImageSet;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file itself: python3-onnx's checker as an independent oracle, the metadata, and what is refused. */
class OnnxExportTest {
    @TempDir
    Path dir;

    /** Small random images: the checker needs a valid file, not realistic outputs. */
    static ImageSet images() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        byte[][] px = new byte[4][32 * 32 * 3];
        for (byte[] p : px) {
            for (int j = 0; j < p.length; j++) {
                p[j] = (byte) rng.nextInt(256);
            }
        }
        return new ImageSet(32, 32, 3, CifarSample.CLASSES, px, new int[4], new String[] {"a", "b", "c", "d"});
    }

    @Test
    void onnxCheckerAcceptsEveryArchitecture() throws Exception {
        String python = pythonWithOnnx();
        assumeTrue(python != null, "python3 with the onnx package (Debian python3-onnx) not found");
        List<ModelSpec> specs = List.of(
                new ModelSpec("cnn", 0, 1, List.of(4, 8), 3, "max", List.of(16), Activations.Kind.GELU, Norms.Kind.GROUP,
                        0.2, 0.1, 3, 32, 32, 10),
                new ModelSpec("resnet", 8, 1, List.of(), 3, "none", List.of(), Activations.Kind.MISH, Norms.Kind.BATCH, 0,
                        0, 3, 32, 32, 10),
                new ModelSpec("resnet18", 0, 0.125, List.of(), 3, "none", List.of(), Activations.Kind.SILU,
                        Norms.Kind.LAYER, 0, 0, 3, 32, 32, 10),
                new ModelSpec("wrn", 10, 1, List.of(), 3, "none", List.of(), Activations.Kind.SELU, Norms.Kind.NONE, 0, 0,
                        3, 32, 32, 10));
        try (NDManager m = NDManager.newBaseManager()) {
            for (ModelSpec spec : specs) {
                Path b = Bundles.realistic(spec, images(), dir.resolve(spec.arch()), m);
                Path onnx = dir.resolve(spec.arch() + ".onnx");
                OnnxExport.write(ModelBundle.load(b, m), onnx);
                String out = check(python, onnx);
                assertTrue(out.contains("ok 8 17 batch"), spec.arch() + ": " + out);
                assertTrue(out.contains("airplane"), out);
            }
        }
    }

    @Test
    void refusesTorchScriptBackbonesAndSaysWhatToDoInstead() {
        Networks.Spec ts = new Networks.Spec(null, new Networks.TorchScriptHead("forward", 512, 3, 32, 32, 10, 0));
        ModelBundle.Info info = new ModelBundle.Info(ts, CifarSample.CLASSES,
                Preprocessing.of(32, 32, Bundles.CIFAR), Map.of());
        TuneupException e = assertThrows(TuneupException.class, () -> OnnxExport.encode(null, info, "b"));
        assertTrue(e.getMessage().contains("TorchScript backbone"), e.getMessage());
        assertTrue(e.fix().contains("torch.onnx.export") && e.fix().contains("tuneup-djl"), e.fix());
    }

    @Test
    void neverOverwrites() throws Exception {
        Path target = Files.writeString(dir.resolve("m.onnx"), "x");
        try (NDManager m = NDManager.newBaseManager()) {
            ModelSpec spec = new ModelSpec("cnn", 0, 1, List.of(4), 3, "max", List.of(), Activations.Kind.RELU,
                    Norms.Kind.BATCH, 0, 0, 3, 32, 32, 10);
            ModelBundle.Loaded b = ModelBundle.load(Bundles.realistic(spec, images(), dir.resolve("b"), m), m);
            TuneupException e = assertThrows(TuneupException.class, () -> OnnxExport.write(b, target));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertEquals("x", Files.readString(target));
        }
    }

    static String pythonWithOnnx() throws Exception {
        for (String p : List.of("/usr/bin/python3", "python3")) {
            try {
                Process proc = new ProcessBuilder(p, "-c", "import onnx").redirectErrorStream(true).start();
                if (proc.waitFor(60, TimeUnit.SECONDS) && proc.exitValue() == 0) {
                    return p;
                }
            } catch (java.io.IOException e) {
                // not installed here; try the next
            }
        }
        return null;
    }

    /** Runs onnx.checker.check_model with full shape inference; prints "ok IR opset batch-dim" and the classes. */
    static String check(String python, Path onnx) throws Exception {
        String script = "import onnx, sys, json\n"
                + "m = onnx.load(sys.argv[1])\n"
                + "onnx.checker.check_model(m, full_check=True)\n"
                + "print('ok', m.ir_version, m.opset_import[0].version,"
                + " m.graph.input[0].type.tensor_type.shape.dim[0].dim_param)\n"
                + "print(json.loads({p.key: p.value for p in m.metadata_props}['classes']))\n";
        Process proc = new ProcessBuilder(python, "-c", script, onnx.toString()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "the checker hung");
        assertEquals(0, proc.exitValue(), out);
        return out;
    }
}
