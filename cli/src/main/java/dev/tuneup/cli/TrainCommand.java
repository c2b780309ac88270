package dev.tuneup.cli;

import dev.tuneup.config.ResolvedRun;
import dev.tuneup.track.RunDir;
import dev.tuneup.workflow.TrainWorkflow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup train}: a run from a YAML config with overrides, into a new run folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model from a YAML config (see examples/ and docs/config.md) into runs/<time>-<name>/.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configs;

    @Spec
    CommandSpec spec;

    @Option(names = "--stop-with-parent", hidden = true,
            description = "Stop (as on SIGTERM) when the process that started this one ends: tuneup tune's trials.")
    boolean stopWithParent;

    @Override
    public Integer call() {
        ResolvedRun run = configs.resolve();
        if (stopWithParent) {
            ProcessHandle.current().parent().ifPresent(TrainCommand::exitWhenGone);
        }
        RunDir dir = RunDir.create(Path.of(run.config().output().dir()), run.config().output().name());
        TrainWorkflow.train(run, dir, ConsoleReporter.of(spec));
        return 0;
    }

    /** A parent killed with SIGKILL cannot stop its children; they notice it is gone and stop themselves. */
    private static void exitWhenGone(ProcessHandle parent) {
        Thread watch = new Thread(() -> {
            try {
                while (parent.isAlive()) {
                    Thread.sleep(500);
                }
                System.exit(143); // runs the SIGTERM hook: finish the step, checkpoint, exit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tuneup-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
