package dev.tuneup.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The log's writer, feedback rules and image cap, on a real SQLite file and a real PostgreSQL database. */
class PredictionLogTest {
    @TempDir
    Path tmp;

    private static PredictionLog.Row row(int i, int bytes) {
        byte[] image = new byte[bytes];
        image[0] = (byte) i;
        image[1] = (byte) (i >> 8);
        return new PredictionLog.Row("00000000-0000-0000-0000-" + String.format("%012d", i), 1000L + i,
                dev.tuneup.track.AtomicFolder.sha256(image), image, "v1", "cat", 0.5, "[]");
    }

    private String url;

    /** A fresh, empty log of {@code kind} (sqlite or postgresql). */
    private String open(String kind) throws Exception {
        url = kind.equals("sqlite") ? "jdbc:sqlite:" + tmp.resolve("log.db") : Postgres.freshDatabase();
        return url;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
             ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void imagesWithFeedbackOutliveTheCapAndOthersGoOldestFirst(String kind) throws Exception {
        try (PredictionLog log = new PredictionLog(open(kind), 1000)) {
            log.model("v1", "/b", List.of("cat", "dog"), null);
            log.log(row(0, 300));
            assertEquals(PredictionLog.FeedbackResult.STORED, log.feedback(row(0, 300).id(), "dog").join());
            assertEquals(PredictionLog.FeedbackResult.ALREADY_GIVEN, log.feedback(row(0, 300).id(), "cat").join());
            assertEquals(PredictionLog.FeedbackResult.UNKNOWN_PREDICTION, log.feedback(row(99, 300).id(), "cat").join());
            for (int i = 1; i <= 6; i++) {
                log.log(row(i, 300));
            }
            log.log(row(7, 2000)); // larger than the whole cap: never kept
            log.flush();
            assertEquals(List.of("cat", "dog"), log.classesOf(row(3, 300).id()));
            assertEquals(1, log.imagesNotKept());
        }
        assertEquals(8, count("SELECT COUNT(*) FROM predictions"));
        assertTrue(count("SELECT SUM(size) FROM images") <= 1000);
        assertEquals(1, count("SELECT COUNT(*) FROM images i JOIN predictions p ON p.image_sha256 = i.sha256"
                + " WHERE p.id = '" + row(0, 300).id() + "'"), "the corrected image is kept");
        assertEquals(1, count("SELECT COUNT(*) FROM images i JOIN predictions p ON p.image_sha256 = i.sha256"
                + " WHERE p.id = '" + row(6, 300).id() + "'"), "the newest image is kept");
        assertEquals(0, count("SELECT COUNT(*) FROM images i JOIN predictions p ON p.image_sha256 = i.sha256"
                + " WHERE p.id = '" + row(1, 300).id() + "'"), "the oldest uncorrected image went first");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void reopeningKeepsCountingTheStoredBytes(String kind) throws Exception {
        String url = open(kind);
        try (PredictionLog log = new PredictionLog(url, 1000)) {
            log.model("v1", "/b", List.of("cat"), null);
            log.log(row(1, 400));
            log.log(row(2, 400));
        }
        try (PredictionLog log = new PredictionLog(url, 1000)) {
            log.log(row(3, 400));
            log.flush();
        }
        assertTrue(count("SELECT SUM(size) FROM images") <= 1000);
        assertEquals(3, count("SELECT COUNT(*) FROM predictions"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theReaderSeesTrafficFeedbackAndCorrectedImages(String kind) throws Exception {
        try (PredictionLog log = new PredictionLog(open(kind), 1 << 20)) {
            log.model("v1", "/b", List.of("cat", "dog"), null);
            for (int i = 0; i < 5; i++) {
                byte[] png = Fixture.encode(Fixture.image(8, 8, i, new java.util.SplittableRandom(i)), "png");
                log.log(new PredictionLog.Row(row(i, 4).id(), 1000L + i, dev.tuneup.track.AtomicFolder.sha256(png),
                        png, "v1", "cat", 0.9, "[]"));
            }
            assertEquals(PredictionLog.FeedbackResult.STORED, log.feedback(row(0, 4).id(), "dog").join());
            assertEquals(PredictionLog.FeedbackResult.STORED, log.feedback(row(1, 4).id(), "cat").join());
        }
        try (LogReader r = new LogReader(url)) {
            LogReader.Model m = r.latest();
            assertEquals("v1", m.version());
            assertEquals(List.of("cat", "dog"), m.classes());
            LogReader.Summary s = r.summary(m, 100);
            assertEquals(5, s.predictions());
            assertEquals(2, s.feedback());
            assertEquals(1, s.feedbackAgreeing());
            assertEquals(java.util.Map.of("cat -> dog", 1L), s.corrections());
            dev.tuneup.repair.UserLabels u = r.corrections(List.of("cat", "dog"), dev.tuneup.data.Fit.resize(8, 8), 3);
            assertEquals(2, u.images().size());
            assertEquals(1, u.confirmations());
            assertEquals("feedback:" + row(0, 4).id(), u.images().source(0));
        }
    }

    /** Replicas starting at once against one PostgreSQL log: every one opens it, none fails creating the tables. */
    @org.junit.jupiter.api.Test
    void serversStartingAtOnceAllOpenOnePostgresLog() throws Exception {
        String shared = open("postgresql");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<PredictionLog>> logs = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                logs.add(pool.submit(() -> {
                    go.await();
                    return new PredictionLog(shared, 1000);
                }));
            }
            go.countDown();
            for (var f : logs) {
                try (PredictionLog log = f.get()) {
                    log.model("v1", "/b", List.of("cat"), null);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, count("SELECT COUNT(*) FROM models"));
    }

    /** Two servers on one PostgreSQL log keep the shared images table under the cap, not each its own share. */
    @org.junit.jupiter.api.Test
    void theImageCapHoldsForTheSharedTable() throws Exception {
        String shared = open("postgresql");
        try (PredictionLog a = new PredictionLog(shared, 1000); PredictionLog b = new PredictionLog(shared, 1000)) {
            a.model("v1", "/b", List.of("cat"), null);
            for (int i = 0; i < 3; i++) {
                a.log(row(i, 300));
            }
            a.flush();
            Thread.sleep(1100); // b takes the table's total again at most once a second
            b.log(row(3, 300));
            b.log(row(4, 300));
            b.flush();
        }
        assertEquals(5, count("SELECT COUNT(*) FROM predictions"));
        assertTrue(count("SELECT SUM(size) FROM images") <= 1000, count("SELECT SUM(size) FROM images") + " bytes");
    }
}
