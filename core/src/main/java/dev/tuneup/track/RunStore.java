package dev.tuneup.track;

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
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The run store: {@code runs.db} (SQLite) in the runs root, one row per run folder under it, to list,
 * filter and compare runs without reading every folder. The folders stay the source of truth:
 * {@link #reindex} rebuilds the store from them. Many processes may write at once (WAL journal, a
 * busy timeout, one statement per change); a workflow's own updates ({@link #update}) never throw, so
 * a broken store cannot stop a training run: the first problem is said once on stderr.
 */
public final class RunStore implements AutoCloseable {
    public static final String FILE = "runs.db";
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private final Connection db;
    private final Path root;

    private RunStore(Connection db, Path root) {
        this.db = db;
        this.root = root;
    }

    /** Opens (creating if needed) the store of the runs under {@code root}. */
    public static RunStore open(Path root) {
        Path r = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(r);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + r.resolve(FILE));
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=15000");
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT"
                        + " NULL, created TEXT NOT NULL, record TEXT NOT NULL)");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return new RunStore(c, r);
        } catch (SQLException | IOException e) {
            throw new TuneupException("run store " + r.resolve(FILE) + " cannot be opened: " + e.getMessage(),
                    "rebuild it from the run folders: tuneup runs reindex " + r);
        }
    }

    public Path root() {
        return root;
    }

    /** Adds or replaces {@code r}'s row. */
    public void put(RunRecord r) {
        try (PreparedStatement s = db.prepareStatement("INSERT OR REPLACE INTO runs (id, kind, status, created, record)"
                + " VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, r.id());
            s.setString(2, r.kind().id());
            s.setString(3, r.status().id());
            s.setString(4, r.created().toString());
            s.setString(5, RunRecordJson.write(r));
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Removes the row of {@code id} (a discarded folder). */
    public void remove(String id) {
        try (PreparedStatement s = db.prepareStatement("DELETE FROM runs WHERE id = ?")) {
            s.setString(1, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Every run, oldest first (ties by id). */
    public List<RunRecord> all() {
        List<RunRecord> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT record FROM runs ORDER BY created, id")) {
            while (rs.next()) {
                out.add(RunRecordJson.read(rs.getString(1), root));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    /** Replaces every row by what the folders under the root hold now; returns how many runs it found. */
    public int reindex() {
        List<RunRecord> found = RunReader.find(root).stream().map(d -> RunReader.read(root, d)).toList();
        try {
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                s.execute("DELETE FROM runs");
            }
            found.forEach(this::put);
            db.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the failure below says what went wrong
            }
            throw e instanceof TuneupException t ? t : failure(e);
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException ignored) {
                // a closed connection: nothing to restore
            }
        }
        return found.size();
    }

    /**
     * Rebuilds the store of {@code root} from its folders; a store SQLite cannot read (damaged, not a
     * database) is deleted and made anew.
     */
    public static int rebuild(Path root) {
        try (RunStore s = open(root)) {
            return s.reindex();
        } catch (TuneupException e) {
            Path file = root.toAbsolutePath().normalize().resolve(FILE);
            try {
                for (String suffix : new String[] {"", "-wal", "-shm"}) {
                    Files.deleteIfExists(file.resolveSibling(FILE + suffix));
                }
            } catch (IOException io) {
                throw e;
            }
            try (RunStore s = open(root)) {
                return s.reindex();
            }
        }
    }

    /** Re-reads the run in {@code dir} into the store of {@code root}; a problem is warned about once, never thrown. */
    static void update(Path root, Path dir) {
        try (RunStore s = open(root)) {
            s.put(RunReader.read(root, dir));
        } catch (RuntimeException e) {
            warn(e.getMessage());
        }
    }

    /** Removes the run in {@code dir} from the store of {@code root}, warning once on a problem. */
    static void forget(Path root, Path dir) {
        try (RunStore s = open(root)) {
            s.remove(RunReader.id(root.toAbsolutePath().normalize(), dir.toAbsolutePath().normalize()));
        } catch (RuntimeException e) {
            warn(e.getMessage());
        }
    }

    /** Says the first store problem of this process on stderr; the run goes on, its folder is complete. */
    static void warn(String message) {
        if (WARNED.compareAndSet(false, true)) {
            System.err.println("warning: " + message + " (the run goes on and its folder is complete;"
                    + " rebuild the store with tuneup runs reindex)");
        }
    }

    /** Lets the next problem be said again (tests). */
    static void resetWarning() {
        WARNED.set(false);
    }

    private TuneupException failure(Exception e) {
        return new TuneupException("run store " + root.resolve(FILE) + ": " + e.getMessage(),
                "rebuild it from the run folders: tuneup runs reindex " + root);
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // nothing was pending: every change commits at once
        }
    }
}
