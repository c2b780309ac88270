package dev.tuneup.track;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tuneup.TuneupException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * One run's folder, {@code <out>/<yyyyMMdd-HHmmss>-<name>[-n]}, never reused: {@code config.yaml}
 * (resolved), {@code metrics.csv} (one row per epoch), {@code provenance.json}, {@code run.log} and
 * {@code checkpoints/} and {@code .lock} (held while a process trains it). Files other than the log are
 * replaced atomically. A workflow calls {@link #begin} when it starts and {@link #end} when it ends: they
 * write {@code run.json} (kind, status, lineage) and keep the {@link RunStore} beside the runs up to date.
 */
public final class RunDir {
    public static final String CONFIG = "config.yaml";
    private static final String LOCK = ".lock";
    /** Folders this JVM holds locked: probing them with a second channel would release the lock (POSIX). */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private final Path dir;
    private RunJson state;
    private Lock own;

    private RunDir(Path dir) {
        this.dir = dir;
    }

    /** A new folder under {@code out}. */
    public static RunDir create(Path out, String name) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            Files.createDirectories(out);
            for (int n = 0; ; n++) {
                try {
                    return new RunDir(Files.createDirectory(out.resolve(stamp + "-" + name + (n == 0 ? "" : "-" + n))));
                } catch (FileAlreadyExistsException e) {
                    // taken: try the next suffix
                }
            }
        } catch (IOException e) {
            throw new TuneupException("cannot create a run folder in " + out + ": " + e.getMessage(),
                    "choose a writable folder (output.dir)");
        }
    }

    /** An existing folder used as a run folder as it is (a study's folder, named by its user). */
    public static RunDir at(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TuneupException("cannot create " + dir + ": " + e.getMessage(), "choose a writable folder");
        }
        return new RunDir(dir);
    }

    /** An existing run folder (to resume). */
    public static RunDir open(Path dir) {
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new TuneupException(dir + " is not a run folder (no " + CONFIG + ")",
                    "pass a folder that tuneup train created, e.g. runs/20261127-101500-run");
        }
        return new RunDir(dir);
    }

    public Path path() {
        return dir;
    }

    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    public void write(String file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public void writeJson(String file, Object value) {
        try {
            write(file, dev.tuneup.JsonFiles.MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new TuneupException("cannot write " + file + ": " + e.getMessage(), "check the run folder");
        }
    }

    /** Rewrites metrics.csv from all rows so far (a resumed run never duplicates or loses a row). */
    public void writeMetrics(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(String.join(",", rows.get(0).keySet())).append('\n');
        for (Map<String, Object> r : rows) {
            sb.append(r.values().stream().map(String::valueOf).collect(Collectors.joining(","))).append('\n');
        }
        write("metrics.csv", sb.toString());
    }

    /** A held run folder; closing it lets another process use the folder. */
    public interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the folder for this process (an OS lock on {@code .lock}, released when the process ends,
     * even by a crash), so two {@code tuneup resume} never train one run at once.
     */
    public Lock lock() {
        Path file = dir.resolve(LOCK);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                channel.close();
                throw new TuneupException("run folder " + dir + " is in use by another tuneup (" + (holder.isEmpty()
                        ? "process unknown" : holder) + ")", "wait for it to finish, or stop that process first");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            FileLock held = lock;
            Path key = dir.toAbsolutePath().normalize();
            HELD.add(key);
            return () -> {
                HELD.remove(key);
                try {
                    held.release();
                    channel.close();
                } catch (IOException e) {
                    // closing releases the lock; the process ending releases it anyway
                }
            };
        } catch (IOException e) {
            throw new TuneupException("cannot lock run folder " + dir + ": " + e.getMessage(),
                    "check that the folder is writable");
        }
    }

    /** Deletes the folder and everything in it (a run that failed before it started). */
    public void discard() {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new TuneupException("cannot remove " + dir + ": " + e.getMessage(), "remove it by hand");
        }
    }

    /** Appends a line to run.log. */
    public void log(String line) {
        try {
            Files.writeString(dir.resolve("run.log"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new TuneupException("cannot write run.log: " + e.getMessage(), "check the run folder");
        }
    }

    public void write(String file, byte[] bytes) {
        Path target = dir.resolve(file);
        try {
            Path tmp = dev.tuneup.TempFiles.file(dir, "." + file, ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TuneupException("cannot write " + target + ": " + e.getMessage(), "check free space and permissions");
        }
    }

    /**
     * Marks the run started: takes the folder's lock (unless this object holds it already), writes
     * run.json with status running and {@code lineage}, and registers the run in the store.
     */
    public void begin(RunKind kind, List<Lineage> lineage) {
        if (own == null && !HELD.contains(dir.toAbsolutePath().normalize())) {
            own = lock();
        }
        RunJson before = RunJson.read(dir); // a resumed run keeps the time it first started
        state = new RunJson(kind, RunStatus.RUNNING, before != null && before.started() != null ? before.started()
                : Instant.now(), null, "", List.copyOf(lineage), Map.of());
        write(RunJson.FILE, state.bytes());
        RunStore.update(root(), dir);
    }

    /**
     * Marks the run ended with {@code status}: run.json gets the status, {@code detail}, the numbers in
     * {@code metrics} and the lineage edges in {@code more} (e.g. the accepted bundle); the lock taken by
     * {@link #begin} is released and the store updated. Never throws: a folder that is gone (discarded) is
     * only removed from the store.
     */
    public void end(RunStatus status, String detail, Map<String, Double> metrics, List<Lineage> more) {
        if (state == null) {
            return;
        }
        Path root = root();
        try {
            if (Files.isDirectory(dir)) {
                List<Lineage> all = new ArrayList<>(state.lineage());
                all.addAll(more);
                state = new RunJson(state.kind(), status, state.started(), Instant.now(), detail, all, metrics);
                write(RunJson.FILE, state.bytes());
            }
        } catch (RuntimeException e) {
            RunStore.warn("cannot write " + dir.resolve(RunJson.FILE) + ": " + e.getMessage());
        } finally {
            if (own != null) {
                own.close();
                own = null;
            }
            state = null;
        }
        if (Files.isDirectory(dir)) {
            RunStore.update(root, dir);
        } else {
            RunStore.forget(root, dir);
        }
    }

    /**
     * The runs root this folder belongs to: the nearest folder above it holding a runs.db, else the
     * folder that holds its outermost enclosing run (a repair's candidate belongs to the repair's root).
     */
    public Path root() {
        return RunReader.rootOf(dir);
    }

    /** Whether a process (this one included) holds {@code dir}'s lock now. */
    static boolean isLocked(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (HELD.contains(d)) {
            return true;
        }
        Path file = d.resolve(LOCK);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
