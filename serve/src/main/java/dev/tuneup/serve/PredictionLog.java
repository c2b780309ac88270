package dev.tuneup.serve;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The prediction log and the feedback store over JDBC: an SQLite file by default, or a PostgreSQL
 * database ({@code jdbc:postgresql://...}) that several servers share. One writer thread owns the
 * connection: predictions are queued and written in transactions of up to 512 rows, and a feedback
 * write is queued behind them, so feedback for a prediction just answered always finds it. A feedback
 * future completes with {@link FeedbackResult#STORED} only after its transaction has committed.
 * Transactions that lose a deadlock or serialization race with another server are retried.
 *
 * <p>Request images are kept (for repair) up to a byte cap; when it is reached the oldest images
 * without feedback are deleted first, and when only images with feedback remain new ones are not kept.
 */
public final class PredictionLog implements AutoCloseable {
    /** One answered image. */
    public record Row(String id, long timeMs, String imageSha256, byte[] image, String version, String predicted,
                      double confidence, String topJson) {
    }

    /** The outcome of a feedback write. */
    public enum FeedbackResult { STORED, UNKNOWN_PREDICTION, ALREADY_GIVEN }

    private record Feedback(String predictionId, String label, long timeMs, CompletableFuture<FeedbackResult> done) {
    }

    private record Flush(CompletableFuture<Void> done) {
    }

    private static final Object STOP = new Object();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PredictionLog.class);
    private final Connection db;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>(10_000);
    private final long imageCap;
    private final Thread writer;
    private long storedBytes;
    private final boolean shared;
    private long countedMs;
    private long imagesNotKept;

    /** Opens (and creates) the log at {@code url}; {@code imageCap} bytes of request images at most. */
    public PredictionLog(String url, long imageCap) {
        this.imageCap = imageCap;
        this.shared = Schema.postgres(url);
        try {
            db = DriverManager.getConnection(url);
            Schema.create(db);
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT COALESCE(SUM(size), 0) FROM images")) {
                storedBytes = r.next() ? r.getLong(1) : 0;
            }
            db.setAutoCommit(false);
        } catch (SQLException e) {
            throw new dev.tuneup.TuneupException("cannot open the prediction log " + url + ": " + e.getMessage(),
                    Schema.postgres(url) ? "check the host, port, database, user and password in the URL, and that"
                            + " PostgreSQL is running" : "check the path and permissions, or pass another --db", e);
        }
        writer = new Thread(this::write, "tuneup-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Records the model version the server answers with, and its validation profile (JSON, may be null). */
    public void model(String version, String bundle, List<String> classes, String profileJson) {
        try {
            synchronized (db) {
                try (PreparedStatement p = db.prepareStatement("INSERT INTO models(version, bundle, classes,"
                        + " profile, loaded_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    p.setString(1, version);
                    p.setString(2, bundle);
                    p.setString(3, String.join("\n", classes));
                    p.setString(4, profileJson);
                    p.setLong(5, System.currentTimeMillis());
                    p.executeUpdate();
                }
                db.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record model " + version + ": " + e.getMessage(), e);
        }
    }

    /** Queues one prediction (blocks only when 10,000 rows are waiting: the database is the bottleneck then). */
    public void log(Row row) {
        try {
            queue.put(row);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stores a correction of prediction {@code id}; the label must already be checked against the model's classes. */
    public CompletableFuture<FeedbackResult> feedback(String id, String label) {
        Feedback f = new Feedback(id, label, System.currentTimeMillis(), new CompletableFuture<>());
        if (!queue.offer(f)) {
            f.done().completeExceptionally(new Problem(503, "the feedback queue is full", "retry in a second",
                    java.util.Map.of("Retry-After", "1")));
        }
        return f.done();
    }

    /** The classes of the model version that made prediction {@code id}, or null when the id is unknown. */
    public List<String> classesOf(String id) throws SQLException {
        synchronized (db) {
            try (PreparedStatement p = db.prepareStatement("SELECT m.classes FROM predictions p JOIN models m"
                    + " ON m.version = p.model_version WHERE p.id = ?")) {
                p.setString(1, id);
                List<String> classes;
                try (ResultSet r = p.executeQuery()) {
                    classes = r.next() ? List.of(r.getString(1).split("\n")) : null;
                }
                db.commit(); // ends the read's transaction (PostgreSQL would keep it open otherwise)
                return classes;
            }
        }
    }

    /** Waits until everything queued so far is written. */
    public void flush() {
        Flush f = new Flush(new CompletableFuture<>());
        try {
            queue.put(f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        f.done().join();
    }

    /** Request images not kept: larger than the cap, or only images with feedback filled it. */
    public synchronized long imagesNotKept() {
        return imagesNotKept;
    }

    private void write() {
        List<Object> ops = new ArrayList<>();
        while (true) {
            ops.clear();
            try {
                Object first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                ops.add(first);
                queue.drainTo(ops, 511);
            } catch (InterruptedException e) {
                return;
            }
            boolean stop = false;
            synchronized (db) {
                List<Row> rows = new ArrayList<>();
                for (Object op : ops) {
                    if (op == STOP) {
                        stop = true;
                    } else if (op instanceof Row r) {
                        rows.add(r);
                    } else if (op instanceof Feedback f) {
                        insert(rows);
                        rows.clear();
                        try {
                            f.done().complete(store(f));
                        } catch (RuntimeException e) {
                            f.done().completeExceptionally(e);
                        }
                    } else if (op instanceof Flush f) {
                        insert(rows);
                        rows.clear();
                        f.done().complete(null);
                    }
                }
                insert(rows);
            }
            if (stop) {
                return;
            }
        }
    }

    private void insert(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            long before = storedBytes;
            try {
                insertOnce(rows);
                return;
            } catch (SQLException e) {
                rollback();
                storedBytes = before;
                if (attempt < 5 && retryable(e)) {
                    continue;
                }
                LOG.error("{} prediction log rows lost", rows.size(), e);
                return;
            }
        }
    }

    /** Deadlock or serialization failure (PostgreSQL, when servers sharing the log touch the same rows). */
    private static boolean retryable(SQLException e) {
        return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }

    private void insertOnce(List<Row> rows) throws SQLException {
        if (shared && System.currentTimeMillis() - countedMs > 1000) {
            // other servers share the images table: take its total again, at most once a second
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT COALESCE(SUM(size), 0) FROM images")) {
                storedBytes = r.next() ? r.getLong(1) : 0;
            }
            countedMs = System.currentTimeMillis();
        }
        try (PreparedStatement p = db.prepareStatement("INSERT INTO predictions(id, time_ms, image_sha256,"
                + " model_version, predicted, confidence, top) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement im = db.prepareStatement("INSERT INTO images(sha256, bytes, size, time_ms)"
                     + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Row r : rows) {
                p.setString(1, r.id());
                p.setLong(2, r.timeMs());
                p.setString(3, r.imageSha256());
                p.setString(4, r.version());
                p.setString(5, r.predicted());
                p.setDouble(6, r.confidence());
                p.setString(7, r.topJson());
                p.addBatch();
            }
            // images in hash order, so two servers storing the same images lock them in the same order
            List<Row> byHash = new ArrayList<>(rows);
            byHash.sort(java.util.Comparator.comparing(Row::imageSha256));
            for (Row r : byHash) {
                if (r.image() != null && makeRoom(r.image().length)) {
                    im.setString(1, r.imageSha256());
                    im.setBytes(2, r.image());
                    im.setLong(3, r.image().length);
                    im.setLong(4, r.timeMs());
                    if (im.executeUpdate() == 1) {
                        storedBytes += r.image().length;
                    }
                }
            }
            p.executeBatch();
            db.commit();
        }
    }

    /** Frees space for {@code bytes} more under the cap; false when the image cannot be kept. */
    private boolean makeRoom(long bytes) throws SQLException {
        if (storedBytes + bytes <= imageCap) {
            return true;
        }
        if (bytes > imageCap) {
            return notKept();
        }
        long target = storedBytes + bytes - imageCap + imageCap / 10; // free 10% more, so eviction is rare
        try (PreparedStatement q = db.prepareStatement("SELECT sha256, size FROM images i WHERE NOT EXISTS (SELECT 1"
                + " FROM predictions p JOIN feedback f ON f.prediction_id = p.id WHERE p.image_sha256 = i.sha256)"
                + " ORDER BY time_ms LIMIT 1000");
             PreparedStatement d = db.prepareStatement("DELETE FROM images WHERE sha256 = ?")) {
            long freed = 0;
            try (ResultSet r = q.executeQuery()) {
                while (freed < target && r.next()) {
                    d.setString(1, r.getString(1));
                    d.addBatch();
                    freed += r.getLong(2);
                }
            }
            d.executeBatch();
            storedBytes -= freed;
        }
        return storedBytes + bytes <= imageCap || notKept();
    }

    private synchronized boolean notKept() {
        imagesNotKept++;
        return false;
    }

    /** Stores one feedback row and commits; another server's feedback for the same id makes it ALREADY_GIVEN. */
    private FeedbackResult store(Feedback f) {
        try (PreparedStatement known = db.prepareStatement("SELECT COUNT(*) FROM predictions WHERE id = ?")) {
            known.setString(1, f.predictionId());
            try (ResultSet r = known.executeQuery()) {
                r.next();
                if (r.getInt(1) == 0) {
                    db.commit();
                    return FeedbackResult.UNKNOWN_PREDICTION;
                }
            }
            int stored;
            try (PreparedStatement p = db.prepareStatement("INSERT INTO feedback(prediction_id, label, time_ms)"
                    + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                p.setString(1, f.predictionId());
                p.setString(2, f.label());
                p.setLong(3, f.timeMs());
                stored = p.executeUpdate();
            }
            db.commit();
            return stored == 1 ? FeedbackResult.STORED : FeedbackResult.ALREADY_GIVEN;
        } catch (SQLException e) {
            rollback();
            throw new IllegalStateException("cannot store feedback for " + f.predictionId() + ": " + e.getMessage(), e);
        }
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next write reports it
        }
    }

    /** Writes everything queued, then closes the database. */
    @Override
    public void close() {
        try {
            queue.put(STOP);
            writer.join();
            synchronized (db) {
                db.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the prediction log: " + e.getMessage(), e);
        }
    }
}
