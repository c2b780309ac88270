package dev.tuneup.cli;

import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.track.RunDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup train}: a run from a YAML config with overrides, into a new run folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model from a YAML config (see examples/ and docs/config.md) into runs/<time>-<name>/.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Run config (YAML); without it the defaults are used.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key, e.g. --set training.epochs=5 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RunConfig c = ConfigLoader.load(config, overrides);
        RunDir dir = RunDir.create(Path.of(c.output().dir()), c.output().name());
        TrainRunner.run(c, dir, false, spec.commandLine().getOut());
        return 0;
    }
}
