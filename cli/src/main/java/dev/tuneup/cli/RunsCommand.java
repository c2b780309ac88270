package dev.tuneup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tuneup runs}: groups the run store commands. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List, show and compare runs: every run folder under a runs folder is registered in its runs.db"
                + " (docs/runs.md).",
        subcommands = {RunsListCommand.class, RunsShowCommand.class, RunsCompareCommand.class, RunsReindexCommand.class})
public final class RunsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
