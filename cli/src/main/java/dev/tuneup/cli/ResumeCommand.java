package dev.tuneup.cli;

import dev.tuneup.workflow.ResumeWorkflow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tuneup resume}: continue a train or fine-tune run from its newest intact checkpoint, exactly. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a train or finetune run folder from its newest intact checkpoint (a fine-tune at the"
                + " phase it stopped in); the result is bit-identical to an uninterrupted run (same machine and thread"
                + " count).")
public final class ResumeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "A folder tuneup train or tuneup finetune created.")
    Path runDir;

    @Option(names = "--restart", description = "When every checkpoint (of a fine-tune: of the phase it stopped in) is"
            + " damaged, train that again from its start (without it, resume refuses).")
    boolean restart;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ResumeWorkflow.resume(runDir, restart, ConsoleReporter.of(spec));
        return 0;
    }
}
