package dev.tuneup.cli;

import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.config.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * {@code --config}, {@code --set} and the shorthands every config-driven command shares (a picocli
 * mixin): {@code --data} (data.name), {@code --data-dir} (data.data_dirs) and {@code --out}
 * (output.dir, the folder new run folders go in).
 */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Run config (YAML); without it the defaults are used.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config key, e.g. --set training.epochs=5 (repeatable; wins over the options below).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DATASET", description = "Data set name or path (data.name).")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder to search for named data sets first"
            + " (data.data_dirs; repeatable).")
    List<Path> dataDirs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the new run folder (output.dir).")
    Path out;

    /** The config: defaults, the YAML, this mixin's shorthands, then each --set; checked. */
    RunConfig load() {
        return load(UnaryOperator.identity());
    }

    /** The same with the command's own options ({@code own}, a typed copy) applied before the shorthands. */
    RunConfig load(UnaryOperator<RunConfig> own) {
        return ConfigLoader.load(config, c -> shorthands(own.apply(c)), overrides);
    }

    /** As {@link #load(UnaryOperator)} with {@code more} overrides after this mixin's own. */
    RunConfig load(UnaryOperator<RunConfig> own, List<String> more) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(more);
        return ConfigLoader.load(config, c -> shorthands(own.apply(c)), all);
    }

    private RunConfig shorthands(RunConfig c) {
        if (data != null) {
            c = c.withData(c.data().withName(data));
        }
        if (!dataDirs.isEmpty()) {
            c = c.withData(c.data().withDataDirs(dataDirs.stream().map(Path::toString).toList()));
        }
        if (out != null) {
            c = c.withOutput(out.toString(), c.output().name());
        }
        return c;
    }

    /** {@link #load()} resolved: every problem of the config reported before any data is read. */
    ResolvedRun resolve() {
        return load().resolve();
    }

    /** The --set overrides after the shorthands, as {@code tuneup tune} passes them on to its trials. */
    List<String> allOverrides() {
        List<String> all = new ArrayList<>();
        if (data != null) {
            all.add("data.name=" + quoted(data));
        }
        if (!dataDirs.isEmpty()) {
            all.add("data.data_dirs=" + dataDirs.stream().map(p -> quoted(p.toString())).toList());
        }
        if (out != null) {
            all.add("output.dir=" + quoted(out.toString()));
        }
        all.addAll(overrides);
        return all;
    }

    /** A YAML single-quoted scalar: any text, read back as itself. */
    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
