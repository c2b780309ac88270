package dev.tuneup.cli;

import dev.tuneup.track.RunDir;
import dev.tuneup.workflow.TrainWorkflow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tuneup resume}: continue a run from its newest intact checkpoint, exactly. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a run folder from its newest intact checkpoint; the result is bit-identical to an"
                + " uninterrupted run (same machine and thread count).")
public final class ResumeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "A folder tuneup train created.")
    Path runDir;

    @Option(names = "--restart", description = "When every checkpoint is damaged, train the run again from step 0"
            + " (without it, resume refuses).")
    boolean restart;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TrainWorkflow.resume(RunDir.open(runDir), restart, ConsoleReporter.of(spec));
        return 0;
    }
}
