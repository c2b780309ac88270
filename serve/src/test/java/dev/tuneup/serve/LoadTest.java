package dev.tuneup.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shedding, deadlines, graceful shutdown and a hot swap under concurrent predictions and feedback. */
class LoadTest {
    @TempDir
    Path tmp;

    private Server server(Path bundle, ServeOptions o) {
        return Server.start(bundle, o.withPort(0).withDb("jdbc:sqlite:" + tmp.resolve("log.db")));
    }

    private byte[] png() throws IOException {
        return Fixture.encode(Fixture.image(20, 28, 1, new java.util.SplittableRandom(1)), "png");
    }

    /** {@code n} simultaneous predictions of {@code png}, their replies in order. */
    private static List<Http.Reply> burst(Http http, byte[] png, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Http.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                replies.add(pool.submit(() -> http.post("/v1/predict", "image/png", png)));
            }
            List<Http.Reply> out = new ArrayList<>();
            for (Future<Http.Reply> f : replies) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndTheRestSucceed() throws Exception {
        Path b = Fixture.bundle(tmp.resolve("b"), 1);
        // one image per forward pass and a queue of one: of 32 simultaneous requests some must be shed
        try (Server s = server(b, ServeOptions.defaults().withBatching(1, 0, 1, 5000))) {
            Http http = new Http(s.port());
            int ok = 0;
            int shed = 0;
            for (Http.Reply r : burst(http, png(), 32)) {
                if (r.status() == 503) {
                    shed++;
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                } else {
                    assertEquals(200, r.status(), r.body());
                    ok++;
                }
            }
            assertTrue(shed > 0 && ok >= 1, ok + " answered, " + shed + " shed");
            assertTrue(http.get("/metrics").body().contains("tuneup_rejections_total{reason=\"queue_full\"}"));
        }
    }

    @Test
    void workThatWouldStartAfterItsDeadlineIsRefused() throws Exception {
        Path b = Fixture.bundle(tmp.resolve("b"), 1);
        // one image per forward pass and a 5 ms deadline: most of 24 simultaneous requests cannot start in time
        try (Server s = server(b, ServeOptions.defaults().withBatching(1, 0, 256, 5))) {
            Http http = new Http(s.port());
            byte[] png = png();
            assertEquals(200, http.post("/v1/predict", "image/png", png).status(), "a lone request starts at once");
            int late = 0;
            for (Http.Reply r : burst(http, png, 24)) {
                if (r.status() == 503) {
                    assertTrue(r.body().contains("deadline"), r.body());
                    late++;
                } else {
                    assertEquals(200, r.status(), r.body());
                }
            }
            assertTrue(late > 0, "no request was refused for its deadline");
            assertTrue(http.get("/metrics").body().contains("tuneup_rejections_total{reason=\"deadline\"}"));
        }
    }

    @Test
    void closingAnswersEverythingAlreadyQueued() throws Exception {
        Path b = Fixture.bundle(tmp.resolve("b"), 1);
        Server s = server(b, ServeOptions.defaults().withBatching(64, 2000, 64, 5000));
        Http http = new Http(s.port());
        byte[] png = png();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Http.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            replies.add(pool.submit(() -> http.post("/v1/predict", "image/png", png)));
        }
        long until = System.nanoTime() + 30_000_000_000L;
        while (!http.get("/metrics").body().contains("tuneup_queue_depth 6") && System.nanoTime() < until) {
            Thread.sleep(5); // wait until all six are queued, waiting for the batch to fill
        }
        s.close();
        for (Future<Http.Reply> f : replies) {
            assertEquals(200, f.get().status());
        }
        pool.shutdown();
    }

    @Test
    void hotSwapUnderLoadLosesNoRequestAndNoFeedback() throws Exception {
        Path v1 = Fixture.bundle(tmp.resolve("v1"), 1);
        Path v2 = Fixture.bundle(tmp.resolve("v2"), 2);
        Path current = tmp.resolve("current");
        Files.createSymbolicLink(current, v1.getFileName());
        try (Server s = server(current, ServeOptions.defaults().withBatching(8, 2, 256, 5000).withAdminToken("s3cret"))) {
            Http http = new Http(s.port());
            String first = s.version();
            assertEquals(401, http.post("/admin/reload", "application/json", new byte[0]).status());
            assertEquals(401, http.post("/admin/reload", "application/json", new byte[0],
                    Map.of("Authorization", "Bearer wrong")).status());
            Path broken = tmp.resolve("broken");
            Files.createDirectories(broken);
            Files.writeString(broken.resolve("manifest.json"), "{}");
            Files.delete(current);
            Files.createSymbolicLink(current, broken.getFileName());
            Http.Reply refused = http.post("/admin/reload", "application/json", new byte[0],
                    Map.of("Authorization", "Bearer s3cret"));
            assertEquals(409, refused.status(), refused.body());
            assertEquals(first, s.version(), "a bundle that cannot load leaves the old one serving");
            byte[] png = png();
            AtomicBoolean go = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<int[]>> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                clients.add(pool.submit(() -> {
                    int[] counts = new int[3]; // predictions, feedback stored, failures
                    while (go.get()) {
                        Http.Reply r = http.post("/v1/predict", "image/png", png);
                        if (r.status() != 200) {
                            counts[2]++;
                            continue;
                        }
                        counts[0]++;
                        String id = r.json().get("predictions").get(0).get("id").asText();
                        if (http.feedback(id, "dog").status() == 201) {
                            counts[1]++;
                        } else {
                            counts[2]++;
                        }
                    }
                    return counts;
                }));
            }
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread.sleep(150);
                Files.delete(current);
                Files.createSymbolicLink(current, (i % 2 == 0 ? v2 : v1).getFileName());
                Http.Reply r = http.post("/admin/reload", "application/json", new byte[0],
                        Map.of("Authorization", "Bearer s3cret"));
                assertEquals(200, r.status(), r.body());
                versions.add(r.json().get("current").asText());
            }
            Thread.sleep(150);
            go.set(false);
            int predicted = 0;
            int stored = 0;
            for (Future<int[]> f : clients) {
                int[] c = f.get();
                assertEquals(0, c[2], "failed requests during the swaps");
                predicted += c[0];
                stored += c[1];
            }
            pool.shutdown();
            assertNotEquals(first, versions.get(0));
            assertEquals(first, versions.get(1));
            assertTrue(predicted > 20, predicted + " predictions");
            s.close();
            assertEquals(stored, count("SELECT COUNT(*) FROM feedback"));
            assertEquals(2, count("SELECT COUNT(*) FROM models"));
            assertTrue(count("SELECT COUNT(DISTINCT model_version) FROM predictions") == 2);
        }
    }

    @Test
    void theAdminApiAnswersLoopbackClientsOnly() throws Exception {
        java.net.InetAddress outside = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(outside != null, "this machine has no non-loopback IPv4 address");
        Path b = Fixture.bundle(tmp.resolve("b"), 1);
        try (Server s = server(b, ServeOptions.defaults().withHost("0.0.0.0").withAdminToken("s3cret"))) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + outside.getHostAddress() + ":"
                            + s.port() + "/admin/reload")).header("Authorization", "Bearer s3cret")
                            .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), r.body());
            assertEquals(200, new Http(s.port()).get("/health").status());
        }
    }

    @Test
    void aTakenPortIsOneClearError() {
        Path b = Fixture.bundle(tmp.resolve("b"), 1);
        try (Server first = server(b, ServeOptions.defaults())) {
            dev.tuneup.TuneupException e = org.junit.jupiter.api.Assertions.assertThrows(dev.tuneup.TuneupException.class,
                    () -> Server.start(b, ServeOptions.defaults().withPort(first.port())
                            .withDb("jdbc:sqlite:" + tmp.resolve("other.db"))));
            assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + first.port()), e.getMessage());
            assertEquals(200, new Http(first.port()).get("/health").status());
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("log.db"));
             ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
