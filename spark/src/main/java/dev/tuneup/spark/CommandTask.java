package dev.tuneup.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.Function;

/**
 * A trial's command as a Spark task: run on the executor's machine as a child process writing
 * {@code stdout.log} and {@code stderr.log} into the trial's folder, its exit code the task's result (a
 * trial that fails is a finished task, recorded FAILED by the study, never retried by Spark). A retried
 * task (its executor was lost) empties the folder first, so the trial starts over as a rerun trial does. A
 * cancelled task (the study pruned or stopped the trial) kills its process.
 */
final class CommandTask implements Function<Integer, Integer> {
    private static final long serialVersionUID = 1L;

    private final List<String> command;
    private final String folder;

    CommandTask(List<String> command, String folder) {
        this.command = List.copyOf(command);
        this.folder = folder;
    }

    @Override
    public Integer call(Integer ignored) throws IOException, InterruptedException {
        Path dir = Path.of(folder);
        org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
        if (task != null && task.attemptNumber() > 0) {
            empty(dir);
        }
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("stdout.log").toFile())
                .redirectError(dir.resolve("stderr.log").toFile()).start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static void empty(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
