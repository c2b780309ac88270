package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.report.LrFinderPlot;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.train.LrFinder;
import dev.tuneup.train.TrainingSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code tuneup lr-find}: fastai's learning-rate range test for a run config, with its plot. */
public final class LrFindWorkflow {
    /** The sweep: from {@code start} to {@code end} over {@code steps} batches. */
    public record Sweep(double start, double end, int steps) {
        public static final Sweep DEFAULT = new Sweep(LrFinder.DEFAULT_START, LrFinder.DEFAULT_END, LrFinder.DEFAULT_STEPS);
    }

    private LrFindWorkflow() {
    }

    /** Runs the sweep for {@code run} into a new run folder {@code <output.name>-lr-find} and reports it. */
    public static LrFinder.Result run(ResolvedRun run, Sweep sweep, Reporter reporter) throws IOException {
        RunDir dir = RunDir.create(Path.of(run.config().output().dir()), run.config().output().name() + "-lr-find");
        return Tracked.run(dir, RunKind.LR_FIND, List.of(), () -> sweep(run, sweep, dir, reporter),
                r -> new Tracked.Outcome(dev.tuneup.track.RunStatus.FINISHED, r.stopReason(), Double.isFinite(r.valley())
                        ? Map.of("lr_valley", r.valley()) : Map.of(), List.of()));
    }

    private static LrFinder.Result sweep(ResolvedRun run, Sweep sweep, RunDir dir, Reporter reporter) throws IOException {
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(run.config()));
        Reporter out = reporter.logTo(dir);
        LrFinder.Result r;
        try (NDManager manager = NDManager.newBaseManager(); LrProgress bar = new LrProgress(reporter)) {
            Sessions.Opened opened = Sessions.open(run, dir, manager, LoadOptions.defaults(), out);
            try (TrainingSession s = opened.session()) {
                r = LrFinder.run(s, sweep.start(), sweep.end(), sweep.steps(), bar);
            }
            if (opened.test() != null) {
                opened.test().close();
            }
        }
        Path png = dir.path().resolve("lr-find.png");
        LrFinderPlot.write(png, r);
        out.line(String.format(Locale.ROOT, "%d steps (%s); suggestions: valley %.2g, steepest %.2g, min/10 %.2g",
                r.lrs().length, r.stopReason(), r.valley(), r.steepest(), r.minOver10()));
        out.line("plot -> " + png);
        return r;
    }
}
