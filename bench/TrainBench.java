// Training-throughput benchmark, tuneup side. Run from the repository root with Java's source launcher:
//
//   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
//        -cp cli/target/tuneup.jar bench/TrainBench.java --model resnet20|cnn|cnn3 [--epochs 5] [--batches 40]
//        [--batch 128] [--workers 1] [--warmup-steps 5] [--mode loop|breakdown]
//        [--scoped-temporaries true] [--channels-last true|false] [--profile trace.json]   (breakdown only)
//
// bench/train.sh runs it side by side with bench/peer_train.py and prints the table.
//
// Data: N = batches * batch random uint8 images (seeded), in an in-memory ImageSet, so the input
// pipeline costs next to nothing and the training step is what is measured. Loader: BatchLoader,
// batch 128, shuffled, seed 1, `--workers` assembly threads (0 = on the training thread), normalised
// float32 NCHW.
//
// Models (dev.tuneup.model): resnet20 = ModelSpec.resnet(20, 3, 32, 10); cnn = tuneup's CNN with conv
// widths [32, 64], kernel 3, max pool, dense [128], ReLU, no norm, dropout 0.5, spatial dropout 0.25, on
// 1x28x28 (ours, not the exact Keras MNIST example); cnn3 = the quickstart's CNN (widths [32, 64, 128], batch
// norm, dense [128], dropout 0.2) on 3x32x32. Xavier init, seed 1.
//
// --mode loop (default): the real training loop, FitLoop over a TrainingSession: SGD momentum 0.9,
//   weight decay 5e-4 (not on 1-D params), constant LR 0.05, TrainConfig.defaults (no validation set,
//   so val_acc is NaN), checkpoints at each epoch end into a temp folder (timed separately, and not
//   part of the images/s). A listener timestamps every step; "after warm-up" leaves out the first
//   --warmup-steps steps and everything between epochs (metrics, GC, checkpoint).
// --mode breakdown: the same step as FitLoop.trainStep, written out here with a timer around each
//   phase (zero grads, forward, loss + read loss, backward, gradient norm, optimizer, accuracy count).
//   libtorch on CPU runs every op synchronously, so the phases add up to the step.
//   --scoped-temporaries true: the same, but zeroing and the gradient norm free their temporaries at
//   once (FitLoop/Losses leave them in the model's NDManager: native memory grows every step).
//   --channels-last true|false: channels-last batches (BatchLoader.Builder.channelsLast), as the CLI trains
//     (default true; false gives the NCHW batches of before Dec 7), both modes.
//   --profile FILE: a chrome trace of libtorch's profiler over the 3 steps after the warm-up.
// A System.gc() after each epoch (between epochs, outside the step timings) makes RSS comparable.
// Output: one JSON object per line on stdout; nothing else goes to stdout.
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import dev.tuneup.data.ImageSet;
import dev.tuneup.loader.Batch;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Models;
import dev.tuneup.model.Norms;
import dev.tuneup.train.Checkpoints;
import dev.tuneup.train.EpochMetrics;
import dev.tuneup.train.FitListener;
import dev.tuneup.train.FitLoop;
import dev.tuneup.train.Losses;
import dev.tuneup.train.Optimizer;
import dev.tuneup.train.Optimizers;
import dev.tuneup.train.ParamGroups;
import dev.tuneup.train.ParamRef;
import dev.tuneup.train.Schedule;
import dev.tuneup.train.TrainConfig;
import dev.tuneup.train.TrainingSession;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

public final class TrainBench {
    private TrainBench() {
    }

    public static void main(String[] args) throws Exception {
        String model = null;
        String mode = "loop";
        int epochs = 5;
        int batches = 40;
        int batch = 128;
        int workers = 1;
        int warmupSteps = 5;
        String profile = null;
        boolean channelsLast = true; // as the CLI's training loader (Sessions)
        boolean scoped = false;
        boolean bf16 = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--model" -> model = v;
                case "--mode" -> mode = v;
                case "--epochs" -> epochs = Integer.parseInt(v);
                case "--batches" -> batches = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--workers" -> workers = Integer.parseInt(v);
                case "--warmup-steps" -> warmupSteps = Integer.parseInt(v);
                case "--profile" -> profile = v;
                case "--channels-last" -> channelsLast = Boolean.parseBoolean(v);
                case "--scoped-temporaries" -> scoped = Boolean.parseBoolean(v);
                case "--precision" -> {
                    if (!dev.tuneup.model.Bf16.PRECISIONS.contains(v)) {
                        throw new IllegalArgumentException("--precision auto|bf16|fp32, got " + v);
                    }
                    bf16 = dev.tuneup.model.Bf16.resolve(v);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (model == null || !(mode.equals("loop") || mode.equals("breakdown"))) {
            System.err.println("usage: TrainBench --model resnet20|cnn|cnn3 [--epochs 5] [--batches 40] [--batch 128]"
                    + " [--workers 1] [--warmup-steps 5] [--mode loop|breakdown]");
            System.exit(2);
        }
        ModelSpec spec = switch (model) {
            case "resnet20" -> ModelSpec.resnet(20, 3, 32, 10);
            case "cnn" -> new ModelSpec("cnn", 0, 1, List.of(32, 64), 3, "max", List.of(128), Activations.Kind.RELU,
                    Norms.Kind.NONE, 0.5, 0.25, 1, 28, 28, 10);
            case "cnn3" -> new ModelSpec("cnn", 0, 1, List.of(32, 64, 128), 3, "max", List.of(128),
                    Activations.Kind.RELU, Norms.Kind.BATCH, 0.2, 0, 3, 32, 32, 10);
            default -> throw new IllegalArgumentException("unknown model " + model + " (resnet20, cnn, cnn3)");
        };

        // Engine start (loads libtorch), outside every timing, like `import torch` on the peer's side.
        long t0 = System.nanoTime();
        Engine engine = Engine.getInstance();
        try (NDManager warm = NDManager.newBaseManager()) {
            warm.create(new float[] {1f}).close();
        }
        double engineS = secs(t0);

        // Synthetic data: random pixels and labels, seeded.
        int c = spec.inChannels();
        int h = spec.height();
        int w = spec.widthPx();
        int n = batches * batch;
        SplittableRandom rnd = new SplittableRandom(1);
        byte[][] pixels = new byte[n][h * w * c];
        int[] labels = new int[n];
        String[] sources = new String[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < pixels[i].length; j++) {
                pixels[i][j] = (byte) rnd.nextInt(256);
            }
            labels[i] = rnd.nextInt(10);
            sources[i] = "synthetic/" + i;
        }
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        ImageSet set = new ImageSet(h, w, c, classes, pixels, labels, sources);
        double[] mean = new double[c];
        double[] std = new double[c];
        java.util.Arrays.fill(mean, 0.5);
        java.util.Arrays.fill(std, 0.25);

        NDManager manager = NDManager.newBaseManager();
        Block net = Models.build(spec);
        engine.setRandomSeed(1);
        net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, c, h, w));
        long params = 0; // trainable, as torch's model.parameters() counts (BatchNorm running stats are not)
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().requiresGradient()) {
                params += p.getValue().getArray().size();
            }
        }

        emit(obj("impl", "tuneup", "phase", "setup", "model", model, "mode", mode, "precision", bf16 ? "bf16" : "fp32", "java",
                System.getProperty("java.version"), "engine", engine.getEngineName() + " " + engine.getVersion(),
                "cpus", Runtime.getRuntime().availableProcessors(), "torch_threads",
                System.getProperty("ai.djl.pytorch.num_threads", "default"), "interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "default"), "loader_workers", workers,
                "batch", batch, "images_per_epoch", n, "params", params, "engine_start_s", engineS,
                "rss_mb", rssMb()));

        BatchLoader loader = BatchLoader.builder(set).batchSize(batch).seed(1).workers(workers)
                .normalization(Normalization.of(mean, std)).channelsLast(channelsLast).build();
        Path ckptDir = Files.createTempDirectory("tuneup-train-bench-");
        try {
            if (mode.equals("loop")) {
                loop(net, manager, loader, ckptDir, epochs, warmupSteps, n, model, bf16);
            } else {
                breakdown(net, manager, loader, epochs, warmupSteps, n, model, profile, scoped, bf16);
            }
        } finally {
            loader.close();
            try (Stream<Path> files = Files.walk(ckptDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The real loop (FitLoop), with a listener that times every step and the work between epochs. */
    private static void loop(Block net, NDManager manager, BatchLoader loader, Path ckptDir, int epochs,
                             int warmupSteps, int n, String model, boolean bf16) {
        TrainingSession session = new TrainingSession(net, manager, Optimizers.sgd(0.9, false, false),
                Schedule.constant(0.05), 5e-4, name -> false, loader, null, TrainConfig.defaults(epochs, 1),
                new Checkpoints(ckptDir, 2)).withBf16(bf16);
        List<Double> steadyS = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        FitListener listener = new FitListener() {
            long prev;
            long epochStart;
            long epochEnd;
            double cpu0;
            double warmS;
            long warmImages;
            double lossSum;
            int batchSize = loader.batchSize();

            @Override
            public void onEpochStart(int epoch, int batches, int firstBatch) {
                cpu0 = cpuS();
                epochStart = System.nanoTime();
                prev = epochStart;
                lossSum = 0;
            }

            @Override
            public void onBatchEnd(FitListener.BatchEnd b) {
                long now = System.nanoTime();
                if (b.step() > warmupSteps) {
                    warmS += (now - prev) / 1e9;
                    warmImages += Math.min(batchSize, n - (long) b.batch() * batchSize);
                }
                lossSum += b.loss();
                prev = now;
            }

            @Override
            public void onEpochEnd(EpochMetrics m) {
                double s = (prev - epochStart) / 1e9; // first step start to last step end
                double cpu = cpuS() - cpu0;
                long g0 = System.nanoTime();
                System.gc();
                double gcS = secs(g0);
                double r = rssMb();
                rss.add(r);
                if (m.epoch() > 0) {
                    steadyS.add(s);
                }
                epochEnd = System.nanoTime();
                emit(obj("impl", "tuneup", "phase", "epoch", "epoch", m.epoch() + 1, "images", n, "seconds", s,
                        "images_per_s", n / s, "loop_images_per_s", m.imagesPerSecond(), "data_wait",
                        m.dataWait(), "cpu_s", cpu, "loss", m.trainLoss(), "acc", m.trainAcc(), "loadavg",
                        loadAvg(), "gc_s", gcS, "rss_mb", r, "heap_used_mb", heapMb()));
            }

            @Override
            public void onCheckpoint(Path folder, long step) {
                emit(obj("impl", "tuneup", "phase", "checkpoint", "step", step, "seconds", secs(epochEnd),
                        "bytes", folderBytes(folder)));
            }

            @Override
            public void onStop(String reason) {
                double total = 0;
                for (double s : steadyS) {
                    total += s;
                }
                emit(obj("impl", "tuneup", "phase", "summary", "model", model, "stop", reason, "steady_epochs",
                        steadyS.size(), "steady_images_per_s", steadyS.isEmpty() ? null : steadyS.size() * n / total,
                        "warmup_steps", warmupSteps, "after_warmup_images_per_s",
                        warmS > 0 ? warmImages / warmS : null, "rss_first_mb", rss.get(0), "rss_last_mb",
                        rss.get(rss.size() - 1), "rss_growth_pct",
                        100 * (rss.get(rss.size() - 1) / rss.get(0) - 1), "loadavg", loadAvg()));
            }
        };
        try (session) {
            new FitLoop(session, List.of(listener)).run();
        }
    }

    /**
     * FitLoop.trainStep's operations, in its order, timed phase by phase (the loop's own code, minus
     * the divergence checks and the listener calls).
     */
    private static void breakdown(Block net, NDManager manager, BatchLoader loader, int epochs, int warmupSteps,
                                  int n, String model, String profile,
                                  boolean scoped, boolean bf16) {
        String[] names = {"to_channels_last", "zero_grad", "forward", "loss+item", "backward", "grad_norm", "optimizer", "count",
                "batch_wait+close"};
        double[] acc = new double[names.length];
        long warmImages = 0;
        ParamGroups.Groups groups = ParamGroups.of(net, 5e-4, false, name -> false);
        List<ParamRef> ps = groups.params();
        long step = 0;
        try (Optimizer opt = Optimizers.sgd(0.9, false, false)) {
            for (int e = 0; e < epochs; e++) {
                double[] ep = new double[names.length];
                long e0 = System.nanoTime();
                Iterator<Batch> it = loader.epoch(e, manager);
                long tb = System.nanoTime();
                while (it.hasNext()) {
                    Batch b = it.next();
                    if (profile != null && step == warmupSteps) {
                        ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
                    }
                    long[] t = new long[names.length + 1];
                    t[0] = System.nanoTime();
                    NDArray input = b.data();
                    t[1] = System.nanoTime();
                    Engine.getInstance().setRandomSeed((int) (1_000_003L + step));
                    for (ParamRef p : ps) {
                        if (!p.weight().hasGradient()) {
                            continue;
                        }
                        if (scoped) {
                            // the index value set() creates lands in g's manager: give g one that dies here
                            try (NDManager scope = NDManager.newBaseManager()) {
                                NDArray g = p.weight().getGradient();
                                g.attach(scope);
                                g.set(new NDIndex("..."), 0);
                            }
                        } else {
                            try (NDArray g = p.weight().getGradient()) { // as FitLoop.trainStep
                                g.set(new NDIndex("..."), 0);
                            }
                        }
                    }
                    t[2] = System.nanoTime();
                    NDArray logits;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        logits = bf16
                                ? dev.tuneup.model.Bf16.toFloat32(net.forward(dev.tuneup.model.Bf16.store(b.manager()),
                                        new NDList(dev.tuneup.model.Bf16.toBf16(input)), true).singletonOrThrow())
                                : net.forward(new ParameterStore(b.manager(), false), new NDList(input), true)
                                        .singletonOrThrow();
                        t[3] = System.nanoTime();
                        NDArray loss = Losses.crossEntropy(logits, b.labels(), 0);
                        loss.getFloat();
                        t[4] = System.nanoTime();
                        gc.backward(loss);
                    }
                    t[5] = System.nanoTime();
                    if (scoped) {
                        scopedGradNorm(ps);
                    } else {
                        Losses.clipGradNorm(ps, 0); // its square/sum/toType land in the model's manager
                    }
                    t[6] = System.nanoTime();
                    opt.step(ps, 0.05);
                    t[7] = System.nanoTime();
                    float[] out = logits.toFloatArray(); // what Validation.count does
                    int k = (int) logits.getShape().get(1);
                    int[] lv = b.labelValues();
                    int correct = 0;
                    for (int i = 0; i < lv.length; i++) {
                        int best = 0;
                        for (int j = 1; j < k; j++) {
                            if (out[i * k + j] > out[i * k + best]) {
                                best = j;
                            }
                        }
                        correct += best == lv[i] ? 1 : 0;
                    }
                    t[8] = System.nanoTime();
                    int size = b.size();
                    b.close();
                    long tEnd = System.nanoTime();
                    step++;
                    if (profile != null && step == warmupSteps + 3) {
                        ai.djl.pytorch.jni.JniUtils.stopProfile(profile);
                    }
                    int last = names.length - 1;
                    for (int i = 0; i < last; i++) {
                        ep[i] += (t[i + 1] - t[i]) / 1e9;
                    }
                    // from the end of the previous step to the start of this one (loader wait), plus closing
                    ep[last] += (t[0] - tb + tEnd - t[last]) / 1e9;
                    if (step > warmupSteps) {
                        for (int i = 0; i < last; i++) {
                            acc[i] += (t[i + 1] - t[i]) / 1e9;
                        }
                        acc[last] += (t[0] - tb + tEnd - t[last]) / 1e9;
                        warmImages += size;
                    }
                    tb = tEnd;
                }
                double s = secs(e0);
                System.gc();
                Map<String, Object> m = obj("impl", "tuneup", "phase", "epoch", "epoch", e + 1, "images", n,
                        "seconds", s, "images_per_s", n / s, "loadavg", loadAvg(), "rss_mb", rssMb());
                for (int i = 0; i < names.length; i++) {
                    m.put(names[i] + "_s", ep[i]);
                }
                emit(m);
            }
        }
        double total = 0;
        for (double a : acc) {
            total += a;
        }
        Map<String, Object> m = obj("impl", "tuneup", "phase", "breakdown", "model", model, "warmup_steps",
                warmupSteps, "after_warmup_images_per_s", warmImages / total, "step_ms",
                1000 * total / (warmImages / (double) loader.batchSize()), "loadavg", loadAvg());
        for (int i = 0; i < names.length; i++) {
            m.put(names[i] + "_pct", 100 * acc[i] / total);
        }
        emit(m);
    }

    /** Losses.clipGradNorm(ps, 0) (measure only) with its temporaries freed at once. */
    private static double scopedGradNorm(List<ParamRef> ps) {
        double sq = 0;
        try (NDManager scope = NDManager.newBaseManager()) {
            for (ParamRef p : ps) {
                if (p.weight().hasGradient()) {
                    NDArray g = p.weight().getGradient();
                    g.attach(scope);
                    sq += g.square().sum().toType(DataType.FLOAT64, false).getDouble();
                }
            }
        }
        return Math.sqrt(sq);
    }

    private static long folderBytes(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    /** CPU seconds used by this whole process so far (all threads: libtorch, loader, JIT, GC). */
    private static double cpuS() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** 1-minute load average of the machine: others share it, so every result carries it. */
    private static double loadAvg() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Resident set size of this process (Java heap + native), from /proc/self/status. */
    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: report nothing rather than a wrong number
        }
        return -1;
    }

    private static double heapMb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / (1024.0 * 1024.0);
    }

    private static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Minimal JSON for flat maps of strings, numbers, booleans and null. */
    private static void emit(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"').append(e.getKey()).append("\": ").append(json(e.getValue()));
        }
        System.out.println(sb.append('}'));
        System.out.flush();
    }

    private static String json(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return '"' + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
