package dev.tuneup.cli;

import ai.djl.ndarray.NDManager;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.report.LrFinderPlot;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.LrFinder;
import dev.tuneup.train.Runs;
import dev.tuneup.train.TrainingSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup lr-find}: fastai's learning-rate range test for a run config. */
@Command(name = "lr-find", mixinStandardHelpOptions = true,
        description = "Sweep the learning rate exponentially over some batches of a run config's training data, stop"
                + " on divergence, restore the weights, suggest a rate and plot loss against LR (lr-find.png).")
public final class LrFindCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configs;

    @Option(names = "--start", defaultValue = "1e-7", description = "First LR (default ${DEFAULT-VALUE}).")
    double start;

    @Option(names = "--end", defaultValue = "10", description = "Last LR (default ${DEFAULT-VALUE}).")
    double end;

    @Option(names = "--steps", defaultValue = "100", description = "Batches in the sweep (default ${DEFAULT-VALUE}).")
    int steps;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        find(configs.load(), start, end, steps, spec.commandLine().getOut());
        return 0;
    }

    /** Runs the sweep for {@code c} into a new run folder {@code <output.name>-lr-find} and reports it. */
    static LrFinder.Result find(RunConfig c, double start, double end, int steps, PrintWriter out) throws IOException {
        RunDir dir = RunDir.create(Path.of(c.output().dir()), c.output().name() + "-lr-find");
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(c));
        LrFinder.Result r;
        try (NDManager manager = NDManager.newBaseManager();
             FinetuneCommand.LrBar bar = new FinetuneCommand.LrBar()) {
            Runs.Opened opened = Runs.open(c, dir, manager, LoadOptions.defaults(), line -> TrainRunner.say(out, dir, line));
            try (TrainingSession s = opened.session()) {
                r = LrFinder.run(s, start, end, steps, bar);
            }
            if (opened.test() != null) {
                opened.test().close();
            }
        }
        Path png = dir.path().resolve("lr-find.png");
        LrFinderPlot.write(png, r);
        TrainRunner.say(out, dir, String.format(Locale.ROOT, "%d steps (%s); suggestions: valley %.2g, steepest %.2g,"
                + " min/10 %.2g", r.lrs().length, r.stopReason(), r.valley(), r.steepest(), r.minOver10()));
        TrainRunner.say(out, dir, "plot -> " + png);
        return r;
    }
}
