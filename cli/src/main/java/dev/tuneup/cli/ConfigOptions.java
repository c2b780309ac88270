package dev.tuneup.cli;

import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --set}, shared by every command that builds a run config (a picocli mixin). */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Run config (YAML); without it the defaults are used.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config key, e.g. --set training.epochs=5 (repeatable).")
    List<String> overrides = new ArrayList<>();

    /** The config: defaults, the YAML, then {@code first} (the command's own options), then each --set. */
    RunConfig load(List<String> first) {
        List<String> all = new ArrayList<>(first);
        all.addAll(overrides);
        return ConfigLoader.load(config, all);
    }

    RunConfig load() {
        return load(List.of());
    }
}
