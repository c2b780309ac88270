package dev.tuneup.tune;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.TuneupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's record in an SQLite file: its settings ({@code meta}, key to text), its trials (number,
 * state, params as JSON, value, seconds, note) and the monitored value of each trial after each epoch
 * ({@code intermediate}). Every write is its own transaction, so a killed parent loses at most the
 * epoch it was recording; a trial still RUNNING when the study is reopened was interrupted and is run
 * again with the same number and values ({@link #restart}); finished trials are never touched again.
 * Methods are synchronized: one connection, used by one study runner.
 */
public final class Study implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Connection db;
    private final Path file;

    private Study(Connection db, Path file) {
        this.db = db;
        this.file = file;
    }

    /** Opens (creating if needed) the study in {@code file}. */
    public static Study open(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS trials (number INTEGER PRIMARY KEY, state TEXT NOT NULL,"
                        + " params TEXT NOT NULL, value REAL, seconds REAL NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '')");
                s.execute("CREATE TABLE IF NOT EXISTS intermediate (trial INTEGER NOT NULL, epoch INTEGER NOT NULL,"
                        + " value REAL, PRIMARY KEY (trial, epoch))");
            }
            return new Study(c, file);
        } catch (SQLException | IOException e) {
            throw new TuneupException("cannot open study " + file + ": " + e.getMessage(),
                    "pass --study a writable folder or .db file");
        }
    }

    public Path file() {
        return file;
    }

    /** A setting, or null when unset (a new study). */
    public synchronized String meta(String key) {
        try (PreparedStatement s = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            s.setString(1, key);
            ResultSet r = s.executeQuery();
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    public synchronized void setMeta(String key, String value) {
        update("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
    }

    /** Records a new RUNNING trial with the next number and returns it. */
    public synchronized Trial start(Map<String, Object> params) {
        int number;
        try (Statement s = db.createStatement()) {
            ResultSet r = s.executeQuery("SELECT COALESCE(MAX(number) + 1, 0) FROM trials");
            number = r.getInt(1);
        } catch (SQLException e) {
            throw fail(e);
        }
        update("INSERT INTO trials (number, state, params) VALUES (?, 'RUNNING', ?)", number, json(params));
        return new Trial(number, Trial.State.RUNNING, params, Double.NaN, List.of(), 0, "");
    }

    /** Clears what an interrupted RUNNING trial had recorded, so it can run again from the start. */
    public synchronized void restart(int number) {
        Trial t = trial(number);
        if (t == null || t.state() != Trial.State.RUNNING) {
            throw new IllegalStateException("trial " + number + " is not RUNNING: " + t);
        }
        update("DELETE FROM intermediate WHERE trial = ?", number);
    }

    /** The monitored value after {@code epoch} (1-based) of a running trial. */
    public synchronized void report(int number, int epoch, double value) {
        update("INSERT OR REPLACE INTO intermediate (trial, epoch, value) VALUES (?, ?, ?)", number, epoch,
                Double.isFinite(value) ? value : null);
    }

    /** Ends a trial: COMPLETE, PRUNED or FAILED, with its objective (NaN for none). */
    public synchronized void finish(int number, Trial.State state, double value, double seconds, String note) {
        if (!state.finished()) {
            throw new IllegalArgumentException("finish needs a final state, not " + state);
        }
        update("UPDATE trials SET state = ?, value = ?, seconds = ?, note = ? WHERE number = ? AND state = 'RUNNING'",
                state.name(), Double.isFinite(value) ? value : null, seconds, note, number);
    }

    public synchronized Trial trial(int number) {
        return trials().stream().filter(t -> t.number() == number).findFirst().orElse(null);
    }

    /** Every trial, by number, with its intermediate values. */
    public synchronized List<Trial> trials() {
        Map<Integer, List<Double>> inter = new LinkedHashMap<>();
        List<Trial> out = new ArrayList<>();
        try (Statement s = db.createStatement()) {
            ResultSet r = s.executeQuery("SELECT trial, value FROM intermediate ORDER BY trial, epoch");
            while (r.next()) {
                double v = r.getDouble(2);
                inter.computeIfAbsent(r.getInt(1), k -> new ArrayList<>()).add(r.wasNull() ? Double.NaN : v);
            }
            r = s.executeQuery("SELECT number, state, params, value, seconds, note FROM trials ORDER BY number");
            while (r.next()) {
                double value = r.getDouble(4);
                value = r.wasNull() ? Double.NaN : value;
                out.add(new Trial(r.getInt(1), Trial.State.valueOf(r.getString(2)), params(r.getString(3)), value,
                        inter.getOrDefault(r.getInt(1), List.of()), r.getDouble(5), r.getString(6)));
            }
            return out;
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    private static String json(Map<String, Object> params) {
        try {
            return JSON.writeValueAsString(params);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> params(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("corrupt params in the study: " + json, e);
        }
    }

    private TuneupException fail(SQLException e) {
        return new TuneupException("study " + file + ": " + e.getMessage(), "check that the file is a tuneup study"
                + " and that no other tuneup tune is writing it");
    }
}
