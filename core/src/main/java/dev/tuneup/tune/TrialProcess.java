package dev.tuneup.tune;

import dev.tuneup.TuneupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One trial's {@code tuneup train} in its own process, writing into {@code folder}: the run folder
 * {@code train} creates there, plus {@code stdout.log} and {@code stderr.log}. The parent learns each
 * epoch's metric from the run folder's {@code metrics.csv}, which {@code train} replaces atomically
 * after every epoch, so a read never sees half a row.
 */
final class TrialProcess {
    private final String name;
    private final Path folder;
    private final TrialLauncher.Execution process;
    private final long started = System.nanoTime();

    private TrialProcess(String name, Path folder, TrialLauncher.Execution process) {
        this.name = name;
        this.folder = folder;
        this.process = process;
    }

    /**
     * Starts {@code command} with a fresh {@code folder} (what an interrupted earlier attempt left is
     * removed); {@code name} (e.g. "trial 3") names it in errors.
     */
    static TrialProcess start(String name, Path folder, List<String> command) {
        return start(name, folder, command, TrialLauncher.LOCAL);
    }

    /** As above, started by {@code launcher}. */
    static TrialProcess start(String name, Path folder, List<String> command, TrialLauncher launcher) {
        try {
            delete(folder);
            Files.createDirectories(folder);
            return new TrialProcess(name, folder, launcher.start(name, command, folder));
        } catch (IOException e) {
            throw new TuneupException("cannot start " + name + ": " + e.getMessage(),
                    "check that " + command.get(0) + " runs and " + folder + " is writable");
        }
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    boolean alive() {
        return process.alive();
    }

    int exitCode() {
        return process.exitCode();
    }

    /** Kills the process (SIGKILL) and waits for it: a stopped trial is never resumed, so it needs no checkpoint. */
    void kill() {
        process.kill();
    }

    /** The monitored metric after each epoch so far (empty before the first epoch ends). */
    List<Double> values(String metric) {
        Path csv = runDir() == null ? null : runDir().resolve("metrics.csv");
        if (csv == null || !Files.isRegularFile(csv)) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(csv);
            List<String> header = List.of(lines.get(0).split(","));
            int col = header.indexOf(metric);
            if (col < 0) {
                throw new TuneupException(name + "'s metrics.csv has no column " + metric,
                        "set training.monitor to one of " + header);
            }
            List<Double> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                out.add(Double.parseDouble(line.split(",")[col]));
            }
            return out;
        } catch (IOException | IndexOutOfBoundsException | NumberFormatException e) {
            return List.of(); // replaced while we read: the next poll sees the whole file
        }
    }

    /** The run folder {@code train} made inside {@code folder}, or null before it exists. */
    Path runDir() {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isDirectory).max(Comparator.naturalOrder()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The last lines of stderr that are not progress bars: why a crashed trial failed. */
    String stderrTail(int lines) {
        try {
            List<String> all = Files.readAllLines(folder.resolve("stderr.log")).stream()
                    .map(l -> l.substring(l.lastIndexOf('\r') + 1).strip())
                    .filter(l -> !l.isEmpty() && !l.matches("^(epoch|batch)\\b.*%.*")).toList();
            return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
