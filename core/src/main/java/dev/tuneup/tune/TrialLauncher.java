package dev.tuneup.tune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a trial's {@code tuneup train} command runs: a child process of the study ({@link #LOCAL}), or a
 * task on another machine (the spark module's). Either way it writes {@code stdout.log}, {@code stderr.log}
 * and its run folder into the trial's folder, which the study reads (on a cluster: a shared folder), and
 * the study store stays the one record of every trial.
 */
public interface TrialLauncher {
    /** A started command. */
    interface Execution {
        boolean alive();

        /** The command's exit code, once it is no longer alive. */
        int exitCode();

        /** Stops the command and waits (at most about 30 s) until it has stopped. */
        void kill();
    }

    /**
     * Starts {@code command}; {@code folder} exists and is empty; {@code name} (e.g. "trial 3") names it in
     * errors.
     */
    Execution start(String name, List<String> command, Path folder) throws IOException;

    /** A child process of this JVM. */
    TrialLauncher LOCAL = (name, command, folder) -> {
        Process p = new ProcessBuilder(command).redirectOutput(folder.resolve("stdout.log").toFile())
                .redirectError(folder.resolve("stderr.log").toFile()).start();
        return new Execution() {
            @Override
            public boolean alive() {
                return p.isAlive();
            }

            @Override
            public int exitCode() {
                return p.exitValue();
            }

            @Override
            public void kill() {
                p.destroyForcibly();
                try {
                    p.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    };
}
