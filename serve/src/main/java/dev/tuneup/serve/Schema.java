package dev.tuneup.serve;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The prediction log's tables; plain SQL so any JDBC database can hold them. */
final class Schema {
    private Schema() {
    }

    static void create(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            if (db.getMetaData().getURL().startsWith("jdbc:sqlite:")) {
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
            s.execute("CREATE TABLE IF NOT EXISTS images (sha256 TEXT PRIMARY KEY, bytes BLOB NOT NULL,"
                    + " size BIGINT NOT NULL, time_ms BIGINT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS feedback (prediction_id TEXT PRIMARY KEY REFERENCES predictions(id),"
                    + " label TEXT NOT NULL, time_ms BIGINT NOT NULL)");
        }
    }
}
