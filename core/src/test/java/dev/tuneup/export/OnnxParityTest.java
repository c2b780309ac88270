package dev.tuneup.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.ImageSet;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Norms;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every architecture, with every activation and norm, exported to ONNX and run by ONNX Runtime on 64
 * real CIFAR-10 test images: probabilities within 1e-5 of tuneup's Predictor on the loaded bundle, at
 * batch sizes 64, 7 and 1 from one file (the batch dimension is symbolic). The weights are perturbed
 * and the BatchNorm statistics measured on the images (Bundles.realistic), so every parameter counts.
 */
class OnnxParityTest {
    static final int N = 64;
    static ImageSet images;
    static final List<String> rows = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        images = CifarSample.load(N);
    }

    static Stream<ModelSpec> specs() {
        List<ModelSpec> out = new ArrayList<>();
        Activations.Kind[] acts = Activations.Kind.values();
        String[] pools = {"max", "avg", "none"};
        int i = 0;
        for (Activations.Kind a : acts) {
            for (Norms.Kind n : Norms.Kind.values()) {
                out.add(new ModelSpec("cnn", 0, 1, List.of(8, 16), i % 2 == 0 ? 3 : 5, pools[i % 3], List.of(32), a, n,
                        0.2, 0.1, 3, 32, 32, 10));
                i++;
            }
        }
        int j = 0;
        for (Norms.Kind n : Norms.Kind.values()) {
            out.add(new ModelSpec("resnet", 8, 1, List.of(), 3, "none", List.of(), acts[j++ % acts.length], n, 0.1, 0.1,
                    3, 32, 32, 10));
            out.add(new ModelSpec("resnet18", 0, 0.25, List.of(), 3, "none", List.of(), acts[j++ % acts.length], n, 0,
                    0, 3, 32, 32, 10));
            out.add(new ModelSpec("wrn", 10, 1, List.of(), 3, "none", List.of(), acts[j++ % acts.length], n, 0, 0.1,
                    3, 32, 32, 10));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void onnxRuntimeMatchesThePredictor(ModelSpec spec) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path bundle = Bundles.realistic(spec, images, dir.resolve("bundle"), m);
            ModelBundle.Loaded b = ModelBundle.load(bundle, m);
            float[][] expected = new Predictor(b, m, 32).probabilities(images);
            Path onnx = dir.resolve("model.onnx");
            int nodes = OnnxExport.write(b, onnx);
            Preprocessing p = b.info().preprocessing();
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(1);
                try (OrtSession s = env.createSession(onnx.toString(), o)) {
                    TensorInfo in = (TensorInfo) s.getInputInfo().get(OnnxExport.INPUT).getInfo();
                    assertArrayEquals(new long[] {-1, 3, 32, 32}, in.getShape(), "the batch dimension is symbolic");
                    Map<String, String> meta = s.getMetadata().getCustomMetadata();
                    assertTrue(meta.get("classes").contains("\"airplane\""), meta.toString());
                    assertTrue(meta.get("preprocessing").contains("\"mean\""), meta.toString());
                    double maxDiff = 0;
                    for (int batch : new int[] {N, 7, 1}) {
                        for (int from = 0; from < N; from += batch) {
                            int n = Math.min(batch, N - from);
                            float[][] got = run(env, s, p.input(images, from, n), n, p);
                            for (int r = 0; r < n; r++) {
                                for (int c = 0; c < 10; c++) {
                                    maxDiff = Math.max(maxDiff, Math.abs(got[r][c] - expected[from + r][c]));
                                }
                            }
                        }
                    }
                    double spread = spread(expected);
                    String name = spec.arch().equals("cnn") ? "cnn k=" + spec.kernel() + " pool=" + spec.pool()
                            : spec.arch() + (spec.depth() > 0 ? "-" + spec.depth() : "") + " width=" + spec.width();
                    rows.add(String.format("| %s | %s | %s | %d | %.1e | %.2f |", name,
                            spec.activation().name().toLowerCase(java.util.Locale.ROOT),
                            spec.norm().name().toLowerCase(java.util.Locale.ROOT), nodes, maxDiff, spread));
                    assertTrue(maxDiff <= 1e-5, spec + ": max difference " + maxDiff);
                }
            }
        }
    }

    static float[][] run(OrtEnvironment env, OrtSession s, float[] x, int n, Preprocessing p) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, p.channels(), p.height(),
                p.width()}); OrtSession.Result r = s.run(Map.of(OnnxExport.INPUT, t))) {
            float[][] probs = (float[][]) r.get(OnnxExport.PROBABILITIES).orElseThrow().getValue();
            assertEquals(n, probs.length);
            return probs;
        }
    }

    /** The mean of each image's top probability: near 0.1 would mean near-uniform outputs, a weak test. */
    static double spread(float[][] probs) {
        double s = 0;
        for (float[] row : probs) {
            float max = 0;
            for (float v : row) {
                max = Math.max(max, v);
            }
            s += max;
        }
        return s / probs.length;
    }

    @AfterAll
    static void report() throws Exception {
        Path out = Path.of("target", "onnx-parity.txt");
        Files.createDirectories(out.getParent());
        rows.add(0, "| architecture | activation | norm | ONNX nodes | max abs diff (64 images, batches 64/7/1) |"
                + " mean top probability |");
        rows.add(1, "|---|---|---|---:|---:|---:|");
        Files.write(out, rows);
        rows.forEach(System.out::println);
    }
}
