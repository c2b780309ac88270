package dev.tuneup.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's writer, feedback rules and image cap, on a real SQLite file. */
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

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("log.db"));
             ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void imagesWithFeedbackOutliveTheCapAndOthersGoOldestFirst() throws Exception {
        try (PredictionLog log = new PredictionLog("jdbc:sqlite:" + tmp.resolve("log.db"), 1000)) {
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

    @Test
    void reopeningKeepsCountingTheStoredBytes() throws Exception {
        String url = "jdbc:sqlite:" + tmp.resolve("log.db");
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
}
