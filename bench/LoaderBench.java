// Input-pipeline benchmark, tuneup side. Run from the repository root with Java's source launcher:
//
//   java -Dai.djl.offline=true -cp cli/target/tuneup.jar bench/LoaderBench.java <cifar10-jpg.tar.gz> [--epochs N]
//        [--workers N] [--decode-threads N] [--prefetch N] [--batch N]
//
// bench/loader.sh runs it side by side with bench/peer_loader.py and prints the table.
//
// What is timed:
//   load    DataSources.load on the tar.gz: gunzip + untar + JPEG decode of the WHOLE archive
//           (train 50k AND test 10k = 60k images) into in-memory uint8 ImageSets.
//   epoch e one pass over the 50k train images through BatchLoader: shuffled, normalised float32
//           NCHW batches of 128, one NDArray per batch; the consumer only reads each batch's shape.
// Not timed (reported separately): DJL/libtorch engine start, DataStats (mean/std) of the train split,
// and a System.gc() after the load and after each epoch, so the memory readings (VmRSS from
// /proc/self/status, heap in use) compare like with like across epochs.
// Output: one JSON object per line on stdout; nothing else goes to stdout.
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneup.data.DataStats;
import dev.tuneup.data.DataSources;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.loader.Batch;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.loader.Normalization;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public final class LoaderBench {
    private LoaderBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LoaderBench <cifar10-jpg.tar.gz> [--epochs N] [--workers N]"
                    + " [--decode-threads N] [--prefetch N] [--batch N]");
            System.exit(2);
        }
        Path archive = Path.of(args[0]);
        int epochs = 3;
        int workers = 2;
        int prefetch = 4;
        int batch = 128;
        int decodeThreads = Runtime.getRuntime().availableProcessors();
        for (int i = 1; i + 1 < args.length; i += 2) {
            int v = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--epochs" -> epochs = v;
                case "--workers" -> workers = v;
                case "--prefetch" -> prefetch = v;
                case "--batch" -> batch = v;
                case "--decode-threads" -> decodeThreads = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }

        // Engine start (loads libtorch), outside every timing, like `import torch` on the peer's side.
        long t0 = System.nanoTime();
        Engine engine = Engine.getInstance();
        try (NDManager warm = NDManager.newBaseManager()) {
            warm.create(new float[] {1f}).close();
        }
        double engineS = secs(t0);
        emit(obj("impl", "tuneup", "phase", "setup", "java", System.getProperty("java.version"),
                "engine", engine.getEngineName() + " " + engine.getVersion(), "cpus",
                Runtime.getRuntime().availableProcessors(), "decode_threads", decodeThreads, "loader_workers",
                workers, "prefetch", prefetch, "batch", batch, "torch_threads",
                System.getProperty("ai.djl.pytorch.num_threads", "default"), "engine_start_s", engineS,
                "rss_mb", rssMb()));

        // (a) load + decode the whole archive (train and test).
        double c0 = cpuS();
        t0 = System.nanoTime();
        Dataset ds = DataSources.load(archive.toString(), List.of(), LoadOptions.defaults().withThreads(decodeThreads));
        double loadS = secs(t0);
        double loadCpu = cpuS() - c0;
        System.gc(); // outside the timing, as after each epoch
        int decoded = 0;
        for (ImageSet s : ds.splits().values()) {
            decoded += s.size();
        }
        ImageSet train = ds.split("train");
        emit(obj("impl", "tuneup", "phase", "load", "what", "gunzip+untar+decode whole archive (all splits)",
                "images", decoded, "train_images", train.size(), "seconds", loadS, "images_per_s", decoded / loadS,
                "cpu_s", loadCpu, "loadavg", loadAvg(), "skipped", ds.skipped().size(), "rss_mb", rssMb(),
                "heap_used_mb", heapMb()));

        // mean/std of the train split: needed to build the normaliser, not timed against the peer
        // (the peer uses published CIFAR-10 constants).
        t0 = System.nanoTime();
        DataStats stats = DataStats.of(train);
        double statsS = secs(t0);
        emit(obj("impl", "tuneup", "phase", "stats", "seconds", statsS, "mean", stats.mean(), "std", stats.std()));

        // (b), (c) epochs over the train split.
        List<Double> epochSecs = new ArrayList<>();
        try (NDManager base = NDManager.newBaseManager();
             BatchLoader loader = BatchLoader.builder(train).batchSize(batch).seed(1).workers(workers)
                     .prefetch(prefetch).normalization(Normalization.of(stats.mean(), stats.std())).build()) {
            for (int e = 0; e < epochs; e++) {
                long wait0 = loader.waitNanos();
                c0 = cpuS();
                t0 = System.nanoTime();
                long images = 0;
                int batches = 0;
                Iterator<Batch> it = loader.epoch(e, base);
                while (it.hasNext()) {
                    try (Batch b = it.next()) {
                        Shape s = b.data().getShape(); // touch the batch; no compute the peer does not do
                        images += s.get(0);
                        batches++;
                    }
                }
                double s = secs(t0);
                double cpu = cpuS() - c0;
                epochSecs.add(s);
                System.gc(); // outside the timing: so heap_used_mb is live data and RSS is comparable across epochs
                emit(obj("impl", "tuneup", "phase", "epoch", "epoch", e + 1, "images", images, "batches", batches,
                        "seconds", s, "images_per_s", images / s, "cpu_s", cpu, "loadavg", loadAvg(),
                        "consumer_wait_s", (loader.waitNanos() - wait0) / 1e9, "rss_mb", rssMb(),
                        "heap_used_mb", heapMb()));
            }
        }

        // Summary: cold = load+decode (60k, both splits) + first epoch (50k train), counted as 50k images.
        double cold = loadS + epochSecs.get(0);
        double steadyS = 0;
        for (int e = 1; e < epochSecs.size(); e++) {
            steadyS += epochSecs.get(e);
        }
        int steadyEpochs = epochSecs.size() - 1;
        emit(obj("impl", "tuneup", "phase", "summary", "cold_seconds", cold, "cold_images", train.size(),
                "cold_images_per_s", train.size() / cold, "steady_epochs", steadyEpochs, "steady_images_per_s",
                steadyEpochs == 0 ? null : (double) steadyEpochs * train.size() / steadyS));
    }

    /** CPU seconds used by this whole process so far (all threads: decoders, loader workers, JIT, GC). */
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

    /** Minimal JSON for flat maps of strings, numbers, null and double[]. */
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
            return String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof Number) {
            return v.toString();
        }
        if (v instanceof double[] a) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", a[i]));
            }
            return sb.append(']').toString();
        }
        return '"' + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
