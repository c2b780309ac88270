// Serving benchmark, tuneup side (bench/serve.sh runs it; the peer is bench/peer_serve.py). Run from the repository root:
//   java -cp cli/target/tuneup.jar bench/ServeBench.java bundles OUT                  # OUT/cnn, OUT/resnet20 (random weights)
//   java -Dai.djl.pytorch.num_threads=2 -cp cli/target/tuneup.jar bench/ServeBench.java inproc BUNDLE IMGDIR [--seconds 8]
//   java -cp cli/target/tuneup.jar bench/ServeBench.java closed URL IMGDIR --clients 1,4,16,64 [--warmup 3] [--seconds 10]
//                                                        [--path /v1/predict|/health] [--server-pid PID]
//   java -cp cli/target/tuneup.jar bench/ServeBench.java open URL IMGDIR --rate R [--seconds 10] [--max-in-flight 1024]
// IMGDIR holds the request bodies: CIFAR-10 test JPEGs (the first 256 *.jpg found, sorted). One JSON object per line on stdout.
//
// closed: N client threads share one java.net.http.HttpClient (HTTP/1.1, so one connection per thread) and each posts
// image/jpeg bodies back to back; latency is nanoTime around send(). The client JVM's CPU time and the server's
// (/proc/PID/stat) are measured over the timed window, so the load generator's own cost is visible.
// open: requests are issued at a fixed rate from one thread with sendAsync (many in flight); latency counts from the
// scheduled issue time (no coordinated omission); 503 answers are split by their reason (queue full / deadline).
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.ImageDecoder;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

public class ServeBench {
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
            "ship", "truck");

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "bundles" -> bundles(Path.of(a[1]));
            case "inproc" -> inproc(Path.of(a[1]), Path.of(a[2]), (int) opt(a, "--seconds", 8), (int) opt(a, "--batch", 32));
            case "closed" -> closed(a[1], Path.of(a[2]), str(a, "--clients", "1,4,16,64"), opt(a, "--warmup", 3),
                    opt(a, "--seconds", 10), str(a, "--path", "/v1/predict"), (long) opt(a, "--server-pid", -1));
            case "open" -> open(a[1], Path.of(a[2]), opt(a, "--rate", 100), opt(a, "--seconds", 10),
                    (int) opt(a, "--max-in-flight", 1024), opt(a, "--warmup", 2), (long) opt(a, "--server-pid", -1));
            default -> throw new IllegalArgumentException("unknown mode " + a[0]);
        }
        System.exit(0);
    }

    static double opt(String[] a, String name, double dflt) {
        String s = str(a, name, null);
        return s == null ? dflt : Double.parseDouble(s);
    }

    static String str(String[] a, String name, String dflt) {
        for (int i = 0; i < a.length - 1; i++) {
            if (a[i].equals(name)) {
                return a[i + 1];
            }
        }
        return dflt;
    }

    static void emit(Map<String, Object> m) {
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append('"').append(k).append("\": ");
            if (v instanceof String s) {
                b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else if (v instanceof Double d) {
                b.append(String.format(Locale.ROOT, "%.4f", d));
            } else if (v instanceof Map<?, ?> mm) {
                StringBuilder c = new StringBuilder("{");
                mm.forEach((kk, vv) -> c.append(c.length() > 1 ? ", " : "").append('"').append(kk).append("\": ").append(vv));
                b.append(c).append('}');
            } else {
                b.append(v);
            }
        });
        System.out.println(b.append('}'));
        System.out.flush();
    }

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The quickstart's CNN (conv 32-64-128 with BatchNorm, max pool, dense 128, dropout 0.2) and ResNet-20, 3x32x32, 10 classes. */
    static void bundles(Path out) throws Exception {
        Files.createDirectories(out);
        ModelSpec cnn = new ModelSpec("cnn", 0, 1, List.of(32, 64, 128), 3, "max", List.of(128), Activations.Kind.RELU,
                Norms.Kind.BATCH, 0.2, 0, 3, 32, 32, 10);
        Normalization n = new Normalization(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});
        for (var e : Map.of("cnn", cnn, "resnet20", ModelSpec.resnet(20, 3, 32, 10)).entrySet()) {
            try (NDManager m = NDManager.newBaseManager()) {
                Block model = Networks.create(e.getValue(), m, 1);
                ModelBundle.Info info = new ModelBundle.Info(Networks.Spec.of(e.getValue()), CLASSES,
                        Preprocessing.of(32, 32, n), Map.of("seed", 1, "note", "random weights, for bench/serve.sh"));
                Path p = ModelBundle.write(out.resolve(e.getKey()), model, info);
                emit(row("phase", "bundle", "model", e.getKey(), "dir", p.toString()));
            }
        }
    }

    static List<byte[]> bodies(Path dir) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(256).toList();
        }
        List<byte[]> out = new ArrayList<>();
        for (Path p : files) {
            out.add(Files.readAllBytes(p));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no .jpg under " + dir);
        }
        return out;
    }

    static double pct(long[] sortedNs, double q) {
        if (sortedNs.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sortedNs.length) - 1;
        return sortedNs[Math.max(0, Math.min(sortedNs.length - 1, i))] / 1e6;
    }

    static double cpuSelf() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** utime + stime of another process in seconds (clock ticks of 1/100 s), -1 when unknown. */
    static double cpuOf(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Server-side sums from /metrics: predict latency (sum s, count, over every status), batch sizes
     * (sum, count), and the predict latency of 503 answers alone (sum s, count).
     */
    static double[] scrape(HttpClient http, String url) {
        double[] v = new double[6];
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                String[] kv = line.split(" ");
                if (kv.length < 2) {
                    continue;
                }
                String k = kv[0];
                int i = k.startsWith("tuneup_request_duration_seconds_sum{endpoint=\"/v1/predict\"") ? 0
                        : k.startsWith("tuneup_request_duration_seconds_count{endpoint=\"/v1/predict\"") ? 1
                        : k.equals("tuneup_batch_size_sum") ? 2 : k.equals("tuneup_batch_size_count") ? 3 : -1;
                if (i >= 0) {
                    v[i] += Double.parseDouble(kv[1]); // one line per status
                    if (i <= 1 && k.contains("status=\"503\"")) {
                        v[i + 4] += Double.parseDouble(kv[1]);
                    }
                }
            }
        } catch (Exception e) {
            Arrays.fill(v, Double.NaN);
        }
        return v;
    }

    static void serverSide(Map<String, Object> row, double[] a, double[] b) {
        double n = b[1] - a[1];
        row.put("server_mean_ms", n > 0 ? (b[0] - a[0]) / n * 1000 : Double.NaN);
        double n503 = b[5] - a[5];
        row.put("server_503_mean_ms", n503 > 0 ? (b[4] - a[4]) / n503 * 1000 : Double.NaN);
        double nb = b[3] - a[3];
        row.put("mean_batch", nb > 0 ? (b[2] - a[2]) / nb : Double.NaN);
    }

    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The ceiling: Predictor.probabilities on decoded images at the server's batch, with and without the decode. */
    static void inproc(Path bundle, Path imgs, int seconds, int batch) throws Exception {
        List<byte[]> enc = bodies(imgs);
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = ModelBundle.load(bundle, m);
            Predictor pred = new Predictor(b, m, batch);
            var pre = b.info().preprocessing();
            LoadOptions lo = LoadOptions.defaults().withChannels(pre.channels());
            byte[][] px = new byte[enc.size()][];
            for (int i = 0; i < px.length; i++) {
                px[i] = ImageDecoder.decode(enc.get(i), "img" + i, lo, pre.height(), pre.width()).pixels();
            }
            int nb = px.length / batch;
            ImageSet[] sets = new ImageSet[nb];
            for (int k = 0; k < nb; k++) {
                sets[k] = set(pre, Arrays.copyOfRange(px, k * batch, (k + 1) * batch));
            }
            // warm-up: 2 s of batches and 30 single images
            long until = System.nanoTime() + 2_000_000_000L;
            for (int k = 0; System.nanoTime() < until; k++) {
                pred.probabilities(sets[k % nb]);
            }
            for (int k = 0; k < 30; k++) {
                pred.probabilities(set(pre, new byte[][] {px[k % px.length]}));
            }
            // batch throughput, predict only
            double c0 = cpuSelf();
            long t0 = System.nanoTime();
            long images = 0;
            for (int k = 0; System.nanoTime() - t0 < seconds * 1_000_000_000L; k++) {
                images += pred.probabilities(sets[k % nb]).length;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            emit(row("impl", "tuneup", "phase", "inproc", "what", "predict", "batch", batch, "images", images,
                    "seconds", s, "images_per_s", images / s, "cpu_s", cpuSelf() - c0, "loadavg", load1()));
            // batch throughput, decode (on the calling thread) + predict
            c0 = cpuSelf();
            t0 = System.nanoTime();
            images = 0;
            for (int k = 0; System.nanoTime() - t0 < seconds * 1_000_000_000L; k++) {
                byte[][] d = new byte[batch][];
                for (int i = 0; i < batch; i++) {
                    int j = (k * batch + i) % enc.size();
                    d[i] = ImageDecoder.decode(enc.get(j), "img" + j, lo, pre.height(), pre.width()).pixels();
                }
                images += pred.probabilities(set(pre, d)).length;
            }
            s = (System.nanoTime() - t0) / 1e9;
            emit(row("impl", "tuneup", "phase", "inproc", "what", "decode+predict", "batch", batch, "images", images,
                    "seconds", s, "images_per_s", images / s, "cpu_s", cpuSelf() - c0, "loadavg", load1()));
            // batch-1 latency, predict only and decode + predict
            for (boolean decode : new boolean[] {false, true}) {
                long[] lat = new long[500];
                long capAt = System.nanoTime() + 8_000_000_000L; // at most 500 passes or 8 s (a loaded machine)
                int k = 0;
                for (; k < lat.length && System.nanoTime() < capAt; k++) {
                    long a0 = System.nanoTime();
                    byte[] one = decode ? ImageDecoder.decode(enc.get(k % enc.size()), "img", lo, pre.height(), pre.width())
                            .pixels() : px[k % px.length];
                    pred.probabilities(set(pre, new byte[][] {one}));
                    lat[k] = System.nanoTime() - a0;
                }
                lat = Arrays.copyOf(lat, k);
                Arrays.sort(lat);
                emit(row("impl", "tuneup", "phase", "inproc_b1", "what", decode ? "decode+predict" : "predict",
                        "n", lat.length, "p50_ms", pct(lat, 0.5), "p99_ms", pct(lat, 0.99), "loadavg", load1()));
            }
        }
    }

    static ImageSet set(Preprocessing pre, byte[][] px) {
        String[] src = new String[px.length];
        Arrays.fill(src, "bench");
        return new ImageSet(pre.height(), pre.width(), pre.channels(), CLASSES, px, new int[px.length], src);
    }

    static HttpRequest request(String url, String path, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
        return path.equals("/health") ? b.GET().build()
                : b.header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Closed loop: for each client count, warm-up then a timed window; every thread posts back to back. */
    static void closed(String url, Path imgs, String clientList, double warmup, double seconds, String path, long serverPid)
            throws Exception {
        List<byte[]> enc = bodies(imgs);
        HttpClient http = client();
        for (String cs : clientList.split(",")) {
            int n = Integer.parseInt(cs.trim());
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmup * 1e9);
            long stop = measureFrom + (long) (seconds * 1e9);
            long[][] lat = new long[n][];
            int[] count = new int[n];
            Map<String, AtomicLong> status = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(n);
            double[] cpu = new double[4];
            double[][] met = new double[2][];
            Thread sampler = new Thread(() -> {
                LockSupport.parkNanos(Math.max(0, measureFrom - System.nanoTime()));
                cpu[0] = cpuSelf();
                cpu[1] = cpuOf(serverPid);
                met[0] = scrape(http, url);
                LockSupport.parkNanos(Math.max(0, stop - System.nanoTime()));
                cpu[2] = cpuSelf();
                cpu[3] = cpuOf(serverPid);
                met[1] = scrape(http, url);
            });
            sampler.start();
            for (int t = 0; t < n; t++) {
                int id = t;
                lat[t] = new long[1 << 14];
                Thread th = new Thread(() -> {
                    try {
                        for (int k = id * 37; ; k++) {
                            long a0 = System.nanoTime();
                            if (a0 >= stop) {
                                break;
                            }
                            String code;
                            try {
                                HttpResponse<byte[]> r = http.send(request(url, path, enc.get(k % enc.size())),
                                        HttpResponse.BodyHandlers.ofByteArray());
                                code = Integer.toString(r.statusCode());
                            } catch (Exception e) {
                                code = "error:" + e.getClass().getSimpleName();
                            }
                            long a1 = System.nanoTime();
                            if (a0 >= measureFrom && a1 <= stop) {
                                status.computeIfAbsent(code, x -> new AtomicLong()).incrementAndGet();
                                if (code.equals("200")) {
                                    if (count[id] == lat[id].length) {
                                        lat[id] = Arrays.copyOf(lat[id], lat[id].length * 2);
                                    }
                                    lat[id][count[id]++] = a1 - a0;
                                }
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
                th.setDaemon(true);
                th.start();
            }
            done.await();
            sampler.join();
            int total = 0;
            for (int c : count) {
                total += c;
            }
            long[] all = new long[total];
            int o = 0;
            for (int t = 0; t < n; t++) {
                System.arraycopy(lat[t], 0, all, o, count[t]);
                o += count[t];
            }
            Arrays.sort(all);
            Map<String, Object> r = row("impl", "tuneup", "phase", "closed", "path", path, "clients", n, "seconds", seconds, "ok", total,
                    "requests_per_s", total / seconds, "p50_ms", pct(all, 0.5), "p90_ms", pct(all, 0.9),
                    "p99_ms", pct(all, 0.99), "max_ms", pct(all, 1.0), "status", new TreeMap<>(status),
                    "client_cpu_s", cpu[2] - cpu[0], "server_cpu_s", serverPid > 0 ? cpu[3] - cpu[1] : -1.0,
                    "loadavg", load1());
            serverSide(r, met[0], met[1]);
            emit(r);
        }
    }

    /** Open loop at a fixed rate: how the server sheds when asked for more than it can do. */
    static void open(String url, Path imgs, double rate, double seconds, int maxInFlight, double warmup, long serverPid)
            throws Exception {
        List<byte[]> enc = bodies(imgs);
        HttpClient http = client();
        Semaphore slots = new Semaphore(maxInFlight);
        List<long[]> ok = java.util.Collections.synchronizedList(new ArrayList<>());
        List<long[]> shedQueue = java.util.Collections.synchronizedList(new ArrayList<>());
        List<long[]> shedDeadline = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicLong> status = new ConcurrentHashMap<>();
        AtomicLong skipped = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long total = (long) ((warmup + seconds) * rate);
        long period = (long) (1e9 / rate);
        double c0 = 0;
        double s0 = 0;
        double[] met0 = null;
        long issued = 0;
        long lastIssue = start;
        for (long i = 0; i < total; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            boolean measured = due >= measureFrom;
            if (measured && issued == 0) {
                c0 = cpuSelf();
                s0 = cpuOf(serverPid);
                met0 = scrape(http, url);
            }
            if (measured) {
                issued++;
                lastIssue = System.nanoTime();
            }
            if (!slots.tryAcquire()) {
                if (measured) {
                    skipped.incrementAndGet();
                }
                continue;
            }
            long sent = System.nanoTime();
            http.sendAsync(request(url, "/v1/predict", enc.get((int) (i % enc.size()))), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, err) -> {
                        long end = System.nanoTime();
                        long ns = end - due;
                        slots.release();
                        if (!measured) {
                            return;
                        }
                        String code = err != null ? "error:" + err.getClass().getSimpleName() : Integer.toString(r.statusCode());
                        status.computeIfAbsent(code, x -> new AtomicLong()).incrementAndGet();
                        if (code.equals("200")) {
                            ok.add(new long[] {ns, end - sent});
                        } else if (code.equals("503")) {
                            (r.body().contains("deadline") ? shedDeadline : shedQueue).add(new long[] {ns, end - sent});
                        }
                    });
        }
        double issueSeconds = (lastIssue - measureFrom) / 1e9;
        slots.acquire(maxInFlight); // everything answered
        double c1 = cpuSelf();
        double s1 = cpuOf(serverPid);
        double[] met1 = scrape(http, url);
        long[] okNs = flat(ok, 0);
        long[] qNs = flat(shedQueue, 0);
        long[] dNs = flat(shedDeadline, 0);
        long[] okSent = flat(ok, 1);
        long[] qSent = flat(shedQueue, 1);
        long[] dSent = flat(shedDeadline, 1);
        long answered = okNs.length + qNs.length + dNs.length;
        Map<String, Object> r = row("impl", "tuneup", "phase", "open", "rate", rate, "seconds", seconds, "issued", issued,
                "achieved_issue_rate", issued / Math.max(1e-9, issueSeconds), "skipped_client_full", skipped.get(),
                "status", new TreeMap<>(status), "ok", okNs.length, "ok_per_s", okNs.length / seconds,
                "shed_share", answered == 0 ? 0.0 : (qNs.length + dNs.length) / (double) answered,
                "ok_p50_ms", pct(okNs, 0.5), "ok_p99_ms", pct(okNs, 0.99),
                "shed_queue", qNs.length, "shed_queue_p50_ms", pct(qNs, 0.5), "shed_queue_p99_ms", pct(qNs, 0.99),
                "shed_deadline", dNs.length, "shed_deadline_p50_ms", pct(dNs, 0.5), "shed_deadline_p99_ms", pct(dNs, 0.99),
                "client_cpu_s", c1 - c0, "server_cpu_s", serverPid > 0 ? s1 - s0 : -1.0, "loadavg", load1());
        // the same from the moment sendAsync was called (leaves out the generator's own lateness)
        r.put("sent_ok_p50_ms", pct(okSent, 0.5));
        r.put("sent_ok_p99_ms", pct(okSent, 0.99));
        r.put("sent_shed_queue_p50_ms", pct(qSent, 0.5));
        r.put("sent_shed_queue_p99_ms", pct(qSent, 0.99));
        r.put("sent_shed_deadline_p50_ms", pct(dSent, 0.5));
        r.put("sent_shed_deadline_p99_ms", pct(dSent, 0.99));
        serverSide(r, met0, met1);
        emit(r);
    }

    static long[] flat(List<long[]> l, int field) {
        synchronized (l) {
            long[] out = new long[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = l.get(i)[field];
            }
            Arrays.sort(out);
            return out;
        }
    }
}
