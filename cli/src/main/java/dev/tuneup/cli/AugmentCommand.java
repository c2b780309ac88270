package dev.tuneup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tuneup augment}: groups the augmentation commands. */
@Command(name = "augment", mixinStandardHelpOptions = true, description = "Look at data augmentation.",
        subcommands = {AugmentPreviewCommand.class})
public final class AugmentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
