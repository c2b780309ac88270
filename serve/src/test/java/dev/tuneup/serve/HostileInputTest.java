package dev.tuneup.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneup.data.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Issue 17: small files that declare huge images, sent concurrently, must be refused (413) or
 * shed (503) by their declared decode cost, never run the heap out; legitimate requests keep being
 * answered meanwhile; an OutOfMemoryError in a handler is answered 503 and the server serves on;
 * a bundle with non-finite weights is refused at reload and the old model keeps serving.
 */
class HostileInputTest {
    private static final String BOUNDARY = "hostileBoundary17";

    @TempDir
    Path tmp;

    private Server server(Path bundle, ServeOptions o) {
        return Server.start(bundle, o.withPort(0).withDb("jdbc:sqlite:" + tmp.resolve("log.db")));
    }

    /** A real grey PNG of {@code width x 1} black pixels: deflate makes 39,000,000 of them a 38 KB file. */
    static byte[] strip(int width) throws IOException {
        return Fixture.encode(new BufferedImage(width, 1, BufferedImage.TYPE_BYTE_GRAY), "png");
    }

    static byte[] multipart(byte[]... images) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < images.length; i++) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + i
                    + ".png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(images[i]);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private byte[] small() throws IOException {
        return Fixture.encode(Fixture.image(20, 28, 1, new java.util.SplittableRandom(1)), "png");
    }

    /**
     * {@code n} hostile requests at once while one client sends legitimate images one after another;
     * returns the hostile replies, and counts the legitimate statuses into {@code legit}.
     */
    private static List<Http.Reply> attack(Http http, byte[] body, int n, byte[] small, Map<Integer, Integer> legit)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n + 1);
        try {
            AtomicBoolean attacking = new AtomicBoolean(true);
            Future<?> client = pool.submit(() -> {
                int sent = 0;
                while (attacking.get() || sent < 5) {
                    Http.Reply r = http.post("/v1/predict", "image/png", small);
                    synchronized (legit) {
                        if (r.status() != 200 && !legit.containsKey(r.status())) {
                            System.out.println("legitimate request answered " + r.status() + ": " + r.body());
                        }
                        legit.merge(r.status(), 1, Integer::sum);
                    }
                    sent++;
                }
                return null;
            });
            List<Future<Http.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                replies.add(pool.submit(() -> http.post("/v1/predict", "multipart/form-data; boundary=" + BOUNDARY,
                        body)));
            }
            List<Http.Reply> out = new ArrayList<>();
            for (Future<Http.Reply> f : replies) {
                out.add(f.get());
            }
            attacking.set(false);
            client.get();
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private static Map<Integer, Integer> statuses(List<Http.Reply> replies) {
        Map<Integer, Integer> m = new TreeMap<>();
        replies.forEach(r -> m.merge(r.status(), 1, Integer::sum));
        return m;
    }

    /**
     * The tester's reproduction as it was (24 requests of two 38 KB PNGs declaring 39,000,000x1
     * pixels) against a server with default limits: the 16x16 model's derived cap (4096x4096) refuses
     * every image from its header, so nothing is decoded.
     */
    @Tag("reliability")
    @Test
    void theTestersReproductionIsRefusedFromTheHeaderAtDefaults() throws Exception {
        Path b = Fixture.bundle(tmp.resolve("b"), 1);
        byte[] bomb = strip(39_000_000);
        assertTrue(bomb.length < 50_000, bomb.length + " bytes");
        try (Server s = server(b, ServeOptions.defaults())) {
            assertEquals(4096L * 4096, s.maxPixels(), "the derived cap for a 16x16 model");
            Http http = new Http(s.port());
            Map<Integer, Integer> legit = new TreeMap<>();
            List<Http.Reply> replies = attack(http, multipart(bomb, bomb), 24, small(), legit);
            for (Http.Reply r : replies) {
                assertEquals(413, r.status(), r.body());
                JsonNode p = r.json();
                assertTrue(p.get("detail").asText().contains("image 0 declares 39000000x1 8-bit grey PNG"), r.body());
                assertTrue(p.get("detail").asText().contains("16777216 pixels"), r.body());
                assertTrue(p.get("fix").asText().contains("--max-pixels 39000000"), r.body());
            }
            assertEquals(Map.of(200, legit.values().stream().mapToInt(Integer::intValue).sum()), legit,
                    "legitimate requests during the attack");
            long oneSmall = ImageDecoder.header(small(), "small").decodeBytes(3, 16, 16);
            assertTrue(s.decodePeakBytes() <= 2 * oneSmall, "no hostile image was decoded, only the legitimate ones: "
                    + s.decodePeakBytes() + " bytes charged at most");
            System.out.printf("defaults: hostile %s, legitimate %s, decode cost charged at most %d bytes%n",
                    statuses(replies), legit, s.decodePeakBytes());
        }
    }

    /**
     * The same attack under the cap the tester had (40M pixels) with a 160 MB decode budget:
     * 4,000,000x1 strips cost about 132 MB each to decode (24 x 2 of them at once would need over
     * 6 GB, twice this JVM's heap), so they decode one at a time and the rest wait and get 503;
     * 39,000,000x1 strips (1.3 GB each) can never fit and get 413 at once. Nothing is a 500, the
     * budget is never exceeded, and a client sending ordinary images is answered throughout. (The
     * heap itself is measured in {@link #inA256MegabyteHeapTheAttackNeverRunsTheHeapOut}: in this
     * 3 GB test JVM the collector leaves dead decode buffers in place, so heap figures say little.)
     */
    @Tag("reliability")
    @Test
    void decodeBombsUnderTheCapAreChargedAgainstTheBudget() throws Exception {
        Path b = Fixture.bundle(tmp.resolve("b"), 1);
        byte[] bomb = strip(4_000_000);
        long cost = ImageDecoder.header(bomb, "strip").decodeBytes(3, 16, 16);
        long budget = 160L << 20;
        assertTrue(cost < budget * 7 / 8 && 2 * cost > budget * 7 / 8, "one strip fits, two do not: " + cost);
        assertTrue(48 * cost > Runtime.getRuntime().maxMemory(), "decoding them all at once would not fit the heap");
        ServeOptions o = ServeOptions.defaults().withLimits(8L << 20, 40_000_000L, 1 << 20).withDecodeBudget(budget);
        try (Server s = server(b, o)) {
            Http http = new Http(s.port());
            Map<Integer, Integer> legit = new TreeMap<>();
            long t0 = System.nanoTime();
            List<Http.Reply> replies = attack(http, multipart(bomb, bomb), 24, small(), legit);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Map<Integer, Integer> seen = statuses(replies);
            for (Http.Reply r : replies) {
                assertTrue(r.status() == 200 || r.status() == 503, r.status() + " " + r.body());
                if (r.status() == 503) {
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                    String detail = r.json().get("detail").asText();
                    assertTrue(detail.contains("(4000000x1 8-bit grey PNG) needs about") && detail.contains("decode"
                            + " budget of 160 MB"), r.body());
                    assertTrue(r.json().get("fix").asText().contains("--decode-budget-mb"), r.body());
                }
            }
            replies.stream().filter(r -> r.status() == 503).findFirst()
                    .ifPresent(r -> System.out.println("a 503 answer: " + r.body()));
            assertTrue(seen.getOrDefault(503, 0) > 0, "some strips waited too long: " + seen);
            assertTrue(seen.getOrDefault(200, 0) > 0, "some strips were decoded: " + seen);
            assertTrue(s.decodePeakBytes() <= budget, s.decodePeakBytes() + " bytes charged at once");
            assertEquals(Map.of(200, legit.values().stream().mapToInt(Integer::intValue).sum()), legit,
                    "legitimate requests during the attack");

            Http.Reply never = http.post("/v1/predict", "multipart/form-data; boundary=" + BOUNDARY,
                    multipart(strip(39_000_000)));
            assertEquals(413, never.status(), never.body());
            assertTrue(never.json().get("detail").asText().contains("more than the decode budget lets one image use"),
                    never.body());
            assertTrue(never.json().get("fix").asText().contains("--decode-budget-mb"), never.body());
            String metrics = http.get("/metrics").body();
            assertTrue(metrics.contains("tuneup_rejections_total{reason=\"decode_budget\"}"), metrics);
            assertTrue(metrics.contains("tuneup_decode_budget_bytes 1.6777216E8"), metrics);
            System.out.printf("budget %d MB, strip cost %d MB: hostile %s in %d ms, legitimate %s, most charged %d MB%n",
                    budget >> 20, cost >> 20, seen, ms, legit, s.decodePeakBytes() >> 20);
        }
    }

    /**
     * The bound, in a JVM of its own with a 256 MB heap and the default budget (a quarter of it):
     * 24 requests of two 1,500,000x1 strips (about 47 MB each to decode, so 2.3 GB at once
     * unbudgeted) plus a client of ordinary images. Every answer is 200, 503 or 413, no request
     * runs the heap out, and the heap in use after any collection stays under 160 MB.
     */
    @Test
    void inA256MegabyteHeapTheAttackNeverRunsTheHeapOut() throws Exception {
        Path b = Fixture.bundle(tmp.resolve("b"), 1);
        byte[] bomb = strip(1_500_000);
        Path port = tmp.resolve("port");
        Path log = tmp.resolve("server.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process server = new ProcessBuilder(java.toString(), "-Xmx256m", "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), SmallHeapServer.class.getName(), b.toString(),
                "jdbc:sqlite:" + tmp.resolve("log.db"), port.toString(), "0").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            long until = System.nanoTime() + 90_000_000_000L;
            while (!Files.exists(port) && server.isAlive() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(port), "server did not start:\n" + Files.readString(log));
            Http http = new Http(Integer.parseInt(Files.readString(port).strip()));
            Map<Integer, Integer> legit = new TreeMap<>();
            long t0 = System.nanoTime();
            List<Http.Reply> replies = attack(http, multipart(bomb, bomb), 24, small(), legit);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Map<Integer, Integer> seen = statuses(replies);
            for (Http.Reply r : replies) {
                assertTrue(r.status() == 200 || r.status() == 503 || r.status() == 413, r.status() + " " + r.body());
                assertTrue(!r.body().contains("out of memory"), r.body());
            }
            assertEquals(Map.of(200, legit.values().stream().mapToInt(Integer::intValue).sum()), legit,
                    "legitimate requests during the attack");
            String metrics = http.get("/metrics").body();
            assertTrue(!metrics.contains("reason=\"out_of_memory\""), metrics);
            server.getOutputStream().close(); // asks it to print its heap figures and stop
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop");
            assertEquals(0, server.exitValue(), Files.readString(log));
            String out = Files.readString(log);
            Matcher m = Pattern.compile("heap max (\\d+) budget (\\d+) charged (\\d+)"
                    + " after-gc (\\d+) pool-peaks (\\d+)").matcher(out);
            assertTrue(m.find(), out);
            long max = Long.parseLong(m.group(1));
            long budget = Long.parseLong(m.group(2));
            long charged = Long.parseLong(m.group(3));
            long afterGc = Long.parseLong(m.group(4));
            System.out.printf("-Xmx256m: heap max %d MB, budget %d MB; hostile %s in %d ms, legitimate %s; most charged"
                    + " %d MB, most in use after a collection %d MB, pool peaks %d MB%n", max >> 20, budget >> 20,
                    seen, ms, legit, charged >> 20, afterGc >> 20, Long.parseLong(m.group(5)) >> 20);
            assertTrue(charged <= budget && budget <= max / 4 + (1 << 20), charged + " of " + budget);
            assertTrue(seen.getOrDefault(200, 0) > 0, "some strips were decoded: " + seen);
            assertTrue(afterGc < 160L << 20, "heap after a collection reached " + (afterGc >> 20) + " MB");
        } finally {
            server.destroyForcibly();
        }
    }

    /** An OutOfMemoryError while decoding is answered 503 with Retry-After, logged, and the server serves on. */
    @Test
    void anOutOfMemoryErrorInAHandlerIsA503AndTheServerServesOn() throws Exception {
        Path b = Fixture.bundle(tmp.resolve("b"), 1);
        byte[] small = small();
        AtomicInteger failures = new AtomicInteger(3);
        PredictHandler.Decoder failing = (bytes, source, options, h, w) -> {
            if (failures.getAndDecrement() > 0) {
                throw new OutOfMemoryError("Java heap space (injected)");
            }
            return ImageDecoder.decode(bytes, source, options, h, w);
        };
        try (Server s = Server.start(b, ServeOptions.defaults().withPort(0).withDb("jdbc:sqlite:"
                + tmp.resolve("log.db")), failing)) {
            Http http = new Http(s.port());
            for (int i = 0; i < 3; i++) {
                Http.Reply r = http.post("/v1/predict", "image/png", small);
                assertEquals(503, r.status(), r.body());
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                assertTrue(r.json().get("detail").asText().contains("ran out of memory"), r.body());
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(200, http.post("/v1/predict", "image/png", small).status());
            }
            assertEquals(200, http.get("/health").status());
            assertTrue(http.get("/metrics").body().contains("tuneup_rejections_total{reason=\"out_of_memory\"} 3.0"));
            assertTrue(http.get("/metrics").body().contains("tuneup_decode_bytes_in_use 0.0"),
                    "every charge is refunded, the failed ones too");
        }
    }

    /** A reload to a bundle whose weights hold a NaN is refused with the reason, and the old model keeps serving. */
    @Tag("reliability")
    @Test
    void aNonFiniteBundleIsRefusedAtReloadAndTheOldOneServesOn() throws Exception {
        Path good = Fixture.bundle(tmp.resolve("good"), 1);
        Path nan = Fixture.nonFinite(tmp.resolve("nan"), good, 2);
        Path current = tmp.resolve("current");
        Files.createSymbolicLink(current, good.getFileName());
        try (Server s = server(current, ServeOptions.defaults().withAdminToken("s3cret-token-17"))) {
            Http http = new Http(s.port());
            String before = s.version();
            Files.delete(current);
            Files.createSymbolicLink(current, nan.getFileName());
            Http.Reply r = http.post("/admin/reload", "application/json", new byte[0],
                    Map.of("Authorization", "Bearer s3cret-token-17"));
            assertEquals(409, r.status(), r.body());
            String detail = r.json().get("detail").asText();
            assertTrue(detail.contains("non-finite weights") && detail.contains("still serving " + before), r.body());
            assertTrue(r.json().get("fix").asText().contains("diverged"), r.body());
            assertEquals(before, s.version());
            Http.Reply p = http.post("/v1/predict", "image/png", small());
            assertEquals(200, p.status(), p.body());
            assertEquals(before, p.json().get("model_version").asText());
        }
    }
}
