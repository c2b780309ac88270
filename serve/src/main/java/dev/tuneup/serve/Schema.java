package dev.tuneup.serve;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The prediction log's tables, on SQLite (one server, a file) or PostgreSQL (several servers sharing one log).
 * The SQL is common to both except the binary type and the per-database setup; upserts use
 * {@code ON CONFLICT DO NOTHING}, which both accept.
 */
final class Schema {
    /** Any constant: the advisory lock that serialises schema creation between servers starting at once. */
    private static final long CREATE_LOCK = 0x7475_6e65_7570L; // "tuneup"

    private Schema() {
    }

    /** True for a PostgreSQL JDBC URL. */
    static boolean postgres(String url) {
        return url.startsWith("jdbc:postgresql:");
    }

    /**
     * Creates the tables that are missing. Idempotent, and safe when several servers start against one
     * PostgreSQL log at once: there, creation runs in one transaction under an advisory lock (a bare
     * {@code CREATE TABLE IF NOT EXISTS} can still fail with a duplicate key when two sessions race).
     */
    static void create(Connection db) throws SQLException {
        boolean pg = postgres(db.getMetaData().getURL());
        boolean auto = db.getAutoCommit();
        try (Statement s = db.createStatement()) {
            if (pg) {
                db.setAutoCommit(false);
                s.execute("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")");
            } else {
                s.execute("PRAGMA journal_mode=WAL"); // readers (tuneup monitor) never block the server's writer
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
            }
            s.execute("CREATE TABLE IF NOT EXISTS models (version TEXT PRIMARY KEY, bundle TEXT NOT NULL,"
                    + " classes TEXT NOT NULL, profile TEXT, loaded_ms BIGINT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS predictions (id TEXT PRIMARY KEY, time_ms BIGINT NOT NULL,"
                    + " image_sha256 TEXT NOT NULL, model_version TEXT NOT NULL REFERENCES models(version),"
                    + " predicted TEXT NOT NULL, confidence DOUBLE PRECISION NOT NULL, top TEXT NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS predictions_time ON predictions(time_ms)");
            s.execute("CREATE TABLE IF NOT EXISTS images (sha256 TEXT PRIMARY KEY, bytes " + (pg ? "BYTEA" : "BLOB")
                    + " NOT NULL, size BIGINT NOT NULL, time_ms BIGINT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS feedback (prediction_id TEXT PRIMARY KEY REFERENCES predictions(id),"
                    + " label TEXT NOT NULL, time_ms BIGINT NOT NULL)");
            if (pg) {
                db.commit();
            }
        } catch (SQLException e) {
            if (pg) {
                db.rollback();
            }
            throw e;
        } finally {
            db.setAutoCommit(auto);
        }
    }
}
