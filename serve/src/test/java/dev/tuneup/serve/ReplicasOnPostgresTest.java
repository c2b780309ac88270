package dev.tuneup.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes behind one PostgreSQL log: clients predict on one replica and send the
 * feedback to the other, and one replica is killed with SIGKILL mid-load. Every feedback answered
 * 201 is in the log with its label, and the log reader sees both replicas' rows.
 */
class ReplicasOnPostgresTest {
    @TempDir
    Path tmp;

    private Process start(Path bundle, String url, int i, Path port) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx256m", "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), SmallHeapServer.class.getName(), bundle.toString(), url,
                port.toString(), "0").redirectErrorStream(true).redirectOutput(tmp.resolve("server" + i + ".log").toFile())
                .start();
    }

    private int port(Process p, Path port, int i) throws Exception {
        long until = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(port) && p.isAlive() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(port), "server " + i + " did not start:\n" + Files.readString(tmp.resolve("server" + i + ".log")));
        return Integer.parseInt(Files.readString(port).strip());
    }

    @Test
    void killingOneReplicaLosesNoAcknowledgedFeedback() throws Exception {
        Path bundle = Fixture.bundle(tmp.resolve("b"), 1);
        String url = Postgres.freshDatabase();
        // a folder each: a server writes port.tmp beside its port file, then renames it
        Path[] ports = {Files.createDirectories(tmp.resolve("r0")).resolve("port"),
                Files.createDirectories(tmp.resolve("r1")).resolve("port")};
        Process[] servers = {start(bundle, url, 0, ports[0]), start(bundle, url, 1, ports[1])};
        try {
            Http[] http = {new Http(port(servers[0], ports[0], 0)), new Http(port(servers[1], ports[1], 1))};
            List<byte[]> images = new ArrayList<>();
            for (int i = 0; i < 10; i++) { // few distinct images, so both replicas store the same ones at once
                images.add(Fixture.encode(Fixture.image(16, 16, i % 3, new SplittableRandom(i)), "png"));
            }
            Map<String, String> acked = new ConcurrentHashMap<>();
            Set<String> answeredBy0 = ConcurrentHashMap.newKeySet();
            Set<String> answeredBy1 = ConcurrentHashMap.newKeySet();
            Set<String> ackedByKilled = ConcurrentHashMap.newKeySet();
            AtomicBoolean killed = new AtomicBoolean();
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger retried404 = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            long until = System.nanoTime() + 60_000_000_000L;
            for (int t = 0; t < 4; t++) {
                int client = t;
                clients.add(new Thread(() -> {
                    for (int n = 0; acked.size() < 160 && System.nanoTime() < until; n++) {
                        int on = killed.get() ? 1 : (client + n) % 2;
                        int other = killed.get() ? 1 : 1 - on;
                        try {
                            Http.Reply p = http[on].post("/v1/predict", "image/png", images.get((client * 7 + n) % 10));
                            if (p.status() != 200) {
                                failures.incrementAndGet();
                                continue;
                            }
                            String id = p.json().get("predictions").get(0).get("id").asText();
                            (on == 0 ? answeredBy0 : answeredBy1).add(id);
                            String label = Fixture.CLASSES.get((client + n) % 3);
                            for (int attempt = 0; attempt < 40; attempt++) {
                                // the other replica sees this prediction once its writer commits it (milliseconds)
                                Http.Reply f = http[other].feedback(id, label);
                                if (f.status() == 201) {
                                    acked.put(id, label);
                                    if (other == 0) {
                                        ackedByKilled.add(id);
                                    }
                                } else if (f.status() == 404) {
                                    retried404.incrementAndGet();
                                    Thread.sleep(50);
                                    continue;
                                } else {
                                    failures.incrementAndGet();
                                }
                                break;
                            }
                            if (client == 0 && acked.size() >= 40 && killed.compareAndSet(false, true)) {
                                servers[0].destroyForcibly(); // SIGKILL, mid-load: the other clients are still sending
                            }
                        } catch (AssertionError e) { // a connection to the killed replica
                            failures.incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            clients.forEach(Thread::start);
            for (Thread c : clients) {
                c.join();
            }
            assertTrue(killed.get(), "the load ended before the kill: " + acked.size() + " acknowledged");
            assertTrue(servers[0].waitFor(10, TimeUnit.SECONDS));
            assertEquals(137, servers[0].exitValue(), "killed with SIGKILL");
            servers[1].getOutputStream().close(); // the survivor stops cleanly, writing what it queued
            assertTrue(servers[1].waitFor(60, TimeUnit.SECONDS), "server 1 did not stop");
            System.out.printf("replicas on PostgreSQL: %d feedback acknowledged (%d by the killed replica), %d predictions by the killed replica,"
                    + " %d by the survivor, %d failed requests (the kill), %d feedback retries after 404%n", acked.size(),
                    ackedByKilled.size(), answeredBy0.size(), answeredBy1.size(), failures.get(), retried404.get());
            assertTrue(acked.size() >= 40, acked.size() + " acknowledged");
            assertTrue(!ackedByKilled.isEmpty(), "the killed replica acknowledged feedback before it died");

            int found = 0;
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement q = c.prepareStatement("SELECT label FROM feedback WHERE prediction_id = ?")) {
                for (Map.Entry<String, String> e : acked.entrySet()) {
                    q.setString(1, e.getKey());
                    try (ResultSet r = q.executeQuery()) {
                        assertTrue(r.next(), "acknowledged feedback for " + e.getKey() + " is missing");
                        assertEquals(e.getValue(), r.getString(1));
                        found++;
                    }
                }
            }
            assertEquals(acked.size(), found);
            try (LogReader reader = new LogReader(url)) {
                LogReader.Summary s = reader.summary(reader.latest(), 1_000_000);
                long fromKilled = answeredBy0.stream().filter(acked::containsKey).count();
                assertTrue(fromKilled > 0, "some acknowledged feedback is for the killed replica's predictions");
                assertTrue(s.feedback() >= acked.size(), s.feedback() + " < " + acked.size());
                assertTrue(s.predictions() >= answeredBy1.size() + fromKilled,
                        s.predictions() + " rows for " + answeredBy1.size() + " + " + fromKilled);
            }
        } finally {
            for (Process p : servers) {
                p.destroyForcibly();
            }
        }
    }
}
