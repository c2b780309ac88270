package dev.tuneup.cli;

import dev.tuneup.config.RunConfig;
import dev.tuneup.track.RunDir;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tuneup train}: a run from a YAML config with overrides, into a new run folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model from a YAML config (see examples/ and docs/config.md) into runs/<time>-<name>/.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RunConfig c = configs.load();
        RunDir dir = RunDir.create(Path.of(c.output().dir()), c.output().name());
        TrainRunner.run(c, dir, false, spec.commandLine().getOut());
        return 0;
    }
}
