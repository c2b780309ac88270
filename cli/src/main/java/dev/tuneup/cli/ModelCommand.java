package dev.tuneup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tuneup model}: groups the named-base commands. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "List and fetch named pretrained bases.",
        subcommands = {ModelListCommand.class, ModelFetchCommand.class})
public final class ModelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
