package dev.tuneup.cli;

import ai.djl.ndarray.NDManager;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.finetune.FineTuner;
import dev.tuneup.report.Charts;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.LrFinder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup finetune}: adapt a base model to a data set with a recipe, into a new run folder. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a base model (bundle folder, run folder or TorchScript .pt) on a data set with a recipe"
                + " (see docs/finetune.md). Writes runs/<time>-<name>/ with metrics, plots and a bundle.")
public final class FinetuneCommand implements Callable<Integer> {
    @Option(names = "--base", paramLabel = "BASE", description = "Bundle folder, run folder or TorchScript .pt file.")
    String base;

    @Option(names = "--data", paramLabel = "DATASET", description = "Data set name or path (data.name).")
    String data;

    @Option(names = "--recipe", description = "linear_probe, full, fine_tune (default), llrd or gradual.")
    String recipe;

    @Mixin
    ConfigOptions configs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<String> sets = new ArrayList<>();
        if (base != null) {
            sets.add("finetune.base=" + base);
        }
        if (data != null) {
            sets.add("data.name=" + data);
        }
        if (recipe != null) {
            sets.add("finetune.recipe=" + recipe);
        }
        RunConfig c = configs.load(sets);
        run(c, RunDir.create(Path.of(c.output().dir()), c.output().name()), spec.commandLine().getOut());
        return 0;
    }

    /** Runs {@code c} into {@code dir} with progress bars and the run's log; shared with quickstart. */
    static FineTuner.Result run(RunConfig c, RunDir dir, PrintWriter out) {
        return run(c, dir, out, null);
    }

    /** The same on images already loaded (null: load what the config names). */
    static FineTuner.Result run(RunConfig c, RunDir dir, PrintWriter out, dev.tuneup.train.Runs.Images preloaded) {
        out.println("fine-tuning -> " + dir.path());
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(c));
        FineTuner.Result r;
        try (NDManager manager = NDManager.newBaseManager(); LrBar bar = new LrBar()) {
            r = FineTuner.run(c, dir, manager, line -> TrainRunner.say(out, dir, line),
                    s -> List.of(new TrainRunner.Console(out, dir, s)), bar, preloaded);
        } catch (RuntimeException e) {
            if (!java.nio.file.Files.exists(dir.checkpoints())) {
                dir.discard(); // failed before training: leave no folder that looks like a run
            }
            throw e;
        }
        try {
            Charts.trainingCurves(dir.path().resolve("curves.png"), r.history());
            TrainRunner.say(out, dir, "curves -> " + dir.path().resolve("curves.png"));
        } catch (IOException | RuntimeException e) {
            TrainRunner.say(out, dir, "warning: cannot draw curves.png: " + e.getMessage());
        }
        return r;
    }

    /** A progress bar for the LR finder's sweep, opened at its first step. */
    static final class LrBar implements LrFinder.Progress, AutoCloseable {
        private ProgressBar bar;

        @Override
        public void onStep(int step, int steps, double lr, double loss, double smoothed) {
            if (bar == null) {
                bar = Progress.bar("lr-find", steps, "step");
            }
            bar.setExtraMessage(String.format(java.util.Locale.ROOT, " lr %.1e loss %.3f", lr, smoothed));
            bar.stepTo(step + 1);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
