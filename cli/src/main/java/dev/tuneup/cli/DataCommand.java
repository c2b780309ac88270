package dev.tuneup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tuneup data}: groups the data set commands. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Inspect and fetch data sets.",
        subcommands = {DataInfoCommand.class, DataFetchCommand.class})
public final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
