// ONNX Runtime against tuneup's Predictor, in process, on the same bundle in the same JVM (bench/onnx.sh runs it):
//   java -Dai.djl.pytorch.num_threads=2 -cp cli/target/tuneup.jar:onnxruntime.jar bench/OnnxBench.java OUT IMGDIR \
//        [--seconds 8] [--threads 2] [--rounds 2] [--tuneup-only]
// Writes OUT/cnn and OUT/resnet20 (random weights, as bench/ServeBench.java), exports each to OUT/<model>.onnx with
// tuneup's exporter, decodes the first 256 JPEGs of IMGDIR once, then times batch-32 probabilities over them:
// tuneup (Predictor.probabilities: normalise + libtorch forward + softmax) and ONNX Runtime (Preprocessing.input
// + OnnxTensor + session.run), alternating, --rounds times each. One markdown row per model and engine on stdout.
// --tuneup-only times the Predictor alone, without ONNX Runtime in the JVM (a check that loading ORT costs libtorch
// nothing: on this 2-core machine shared with other jobs, 2-thread libtorch varied 3x from run to run either way).
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.ImageDecoder;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.export.OnnxExport;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

public class OnnxBench {
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
            "ship", "truck");
    static final int BATCH = 32;

    public static void main(String[] a) throws Exception {
        Path out = Path.of(a[0]);
        Path imgs = Path.of(a[1]);
        int seconds = (int) opt(a, "--seconds", 8);
        int threads = (int) opt(a, "--threads", 2);
        int rounds = (int) opt(a, "--rounds", 2);
        Files.createDirectories(out);
        Normalization n = new Normalization(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});
        Map<String, ModelSpec> specs = new LinkedHashMap<>();
        specs.put("cnn", new ModelSpec("cnn", 0, 1, List.of(32, 64, 128), 3, "max", List.of(128), Activations.Kind.RELU,
                Norms.Kind.BATCH, 0.2, 0, 3, 32, 32, 10));
        specs.put("resnet20", ModelSpec.resnet(20, 3, 32, 10));
        List<byte[]> enc = new ArrayList<>();
        try (Stream<Path> s = Files.walk(imgs)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(256).toList()) {
                enc.add(Files.readAllBytes(p));
            }
        }
        System.out.println("| model | engine | threads | batch | img/s per round | mean img/s | ORT / tuneup | max abs diff |");
        System.out.println("|---|---|---:|---:|---|---:|---:|---:|");
        OrtEnvironment env = Arrays.asList(a).contains("--tuneup-only") ? null : OrtEnvironment.getEnvironment();
        for (var e : specs.entrySet()) {
            try (NDManager m = NDManager.newBaseManager()) {
                Path bundle = ModelBundle.write(out.resolve(e.getKey()), Networks.create(e.getValue(), m, 1),
                        new ModelBundle.Info(Networks.Spec.of(e.getValue()), CLASSES, Preprocessing.of(32, 32, n),
                                Map.of("note", "random weights, for bench/onnx.sh")));
                ModelBundle.Loaded b = ModelBundle.load(bundle, m);
                Path onnx = out.resolve(e.getKey() + ".onnx");
                OnnxExport.write(b, onnx);
                Preprocessing pre = b.info().preprocessing();
                byte[][] px = new byte[enc.size()][];
                for (int i = 0; i < px.length; i++) {
                    px[i] = ImageDecoder.decode(enc.get(i), "img" + i, LoadOptions.defaults().withChannels(3), 32, 32)
                            .pixels();
                }
                int nb = px.length / BATCH;
                ImageSet[] sets = new ImageSet[nb];
                for (int k = 0; k < nb; k++) {
                    sets[k] = new ImageSet(32, 32, 3, CLASSES, Arrays.copyOfRange(px, k * BATCH, (k + 1) * BATCH),
                            new int[BATCH], new String[BATCH]);
                }
                Predictor pred = new Predictor(b, m, BATCH);
                if (a.length > 2 && Arrays.asList(a).contains("--tuneup-only")) { // the same loop without ORT in the JVM
                    System.out.printf("| %s | tuneup Predictor alone | %d | %d | %,.0f | | | |%n", e.getKey(), threads, BATCH,
                            time(seconds, k -> pred.probabilities(sets[k % nb]).length));
                    continue;
                }
                try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                    o.setIntraOpNumThreads(threads);
                    o.setInterOpNumThreads(1);
                    // ORT's pool spin-waits between runs by default, which would take the cores from libtorch's turns
                    o.addConfigEntry("session.intra_op.allow_spinning", "0");
                    try (OrtSession s = env.createSession(onnx.toString(), o)) {
                        double diff = 0;
                        for (int k = 0; k < nb; k++) {
                            float[][] t = pred.probabilities(sets[k]);
                            float[][] r = ort(env, s, pre, sets[k]);
                            for (int i = 0; i < t.length; i++) {
                                for (int c = 0; c < t[i].length; c++) {
                                    diff = Math.max(diff, Math.abs(t[i][c] - r[i][c]));
                                }
                            }
                        }
                        double[] tu = new double[rounds];
                        double[] rt = new double[rounds];
                        for (int round = 0; round < rounds; round++) { // alternate, so drift hits both
                            tu[round] = time(seconds, k -> pred.probabilities(sets[k % nb]).length);
                            rt[round] = time(seconds, k -> ort(env, s, pre, sets[k % nb]).length);
                        }
                        double mt = Arrays.stream(tu).average().orElse(0);
                        double mr = Arrays.stream(rt).average().orElse(0);
                        System.out.printf("| %s | tuneup Predictor (libtorch 2.7.1) | %d | %d | %s | %,.0f | | |%n",
                                e.getKey(), threads, BATCH, list(tu), mt);
                        System.out.printf("| %s | ONNX Runtime %s | %d | %d | %s | %,.0f | **%.2fx** | %.1e |%n",
                                e.getKey(), env.getVersion(), threads, BATCH, list(rt), mr, mr / mt, diff);
                    }
                }
            }
        }
    }

    interface Batch {
        int run(int k) throws Exception;
    }

    /** Images per second over {@code seconds}, after one second of warm-up. */
    static double time(int seconds, Batch b) throws Exception {
        long warm = System.nanoTime() + 1_000_000_000L;
        for (int k = 0; System.nanoTime() < warm; k++) {
            b.run(k);
        }
        long t0 = System.nanoTime();
        long images = 0;
        for (int k = 0; System.nanoTime() - t0 < seconds * 1_000_000_000L; k++) {
            images += b.run(k);
        }
        return images / ((System.nanoTime() - t0) / 1e9);
    }

    static float[][] ort(OrtEnvironment env, OrtSession s, Preprocessing p, ImageSet set) throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(p.input(set, 0, set.size())),
                new long[] {set.size(), 3, 32, 32}); OrtSession.Result r = s.run(Map.of(OnnxExport.INPUT, t))) {
            return (float[][]) r.get(OnnxExport.PROBABILITIES).orElseThrow().getValue();
        }
    }

    static String list(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format("%,.0f", x));
        }
        return b.toString();
    }

    static double opt(String[] a, String name, double def) {
        for (int i = 0; i < a.length - 1; i++) {
            if (a[i].equals(name)) {
                return Double.parseDouble(a[i + 1]);
            }
        }
        return def;
    }
}
