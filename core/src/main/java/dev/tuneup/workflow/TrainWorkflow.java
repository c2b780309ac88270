package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.RunStatus;
import dev.tuneup.train.Checkpoints;
import dev.tuneup.train.EpochMetrics;
import dev.tuneup.train.FitLoop;
import dev.tuneup.train.FitResult;
import dev.tuneup.train.RunExport;
import dev.tuneup.train.Scores;
import dev.tuneup.train.StopReason;
import dev.tuneup.train.TrainingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code tuneup train} and {@code resume}: open the session for a run folder, train with a progress
 * bar per epoch and metrics.csv after every epoch, turn SIGTERM into "finish the step, checkpoint,
 * exit", then draw curves.png, test, calibrate and bundle. The run is registered in the run store.
 */
public final class TrainWorkflow {
    /**
     * What a finished run reports.
     *
     * @param test   on the test split; null without one (or when stopped by SIGTERM)
     * @param bundle null when stopped by SIGTERM
     */
    public record Result(FitResult fit, Path dir, Scores test, Path bundle) {
    }

    private TrainWorkflow() {
    }

    /** A new run of {@code run} into {@code dir}. */
    public static Result train(ResolvedRun run, RunDir dir, Reporter out) {
        return run(run, dir, false, false, out);
    }

    /**
     * Continues the run in {@code dir} from its newest intact checkpoint, with the config it saved. When
     * every checkpoint is damaged it refuses, unless {@code restart}: then it trains again from step 0.
     */
    public static Result resume(RunDir dir, boolean restart, Reporter out) {
        return run(ConfigLoader.load(dir.path().resolve(RunDir.CONFIG), List.of()).resolve(), dir, true, restart, out);
    }

    @SuppressWarnings("try") // the lock is held for the whole body, never read
    private static Result run(ResolvedRun run, RunDir dir, boolean resume, boolean restart, Reporter reporter) {
        reporter.line((resume ? "resuming " : "training -> ") + dir.path());
        try (RunDir.Lock lock = dir.lock(); NDManager manager = NDManager.newBaseManager();
             SigtermStop sigterm = SigtermStop.install(dir)) { // closed last: a SIGTERM hook waits for run.json too
            return Tracked.run(dir, RunKind.TRAIN, List.of(), () -> body(run, dir, resume, restart, reporter, manager,
                    sigterm), TrainWorkflow::outcome);
        }
    }

    /** How the run ended, for run.json and the store. */
    private static Tracked.Outcome outcome(Result r) {
        StopReason why = r.fit().reason();
        RunStatus status = why == StopReason.DIVERGED ? RunStatus.DIVERGED : why == StopReason.STOPPED
                ? RunStatus.STOPPED : RunStatus.FINISHED;
        return new Tracked.Outcome(status, r.fit().detail(), Map.of(), List.of());
    }

    /**
     * How training ended, written to {@code fit.json} before test and bundling: a run killed after it
     * is reopened at that epoch, so a run that stopped early is not trained on by {@code resume}.
     */
    record Ended(String reason, String detail, int epochs) {
        static final String FILE = "fit.json";

        static Ended read(RunDir dir) {
            Path f = dir.path().resolve(FILE);
            if (!Files.isRegularFile(f)) {
                return null;
            }
            try {
                return dev.tuneup.JsonFiles.MAPPER.readValue(f.toFile(), Ended.class);
            } catch (java.io.IOException e) {
                return null; // written atomically; an unreadable one is treated as absent and training goes on
            }
        }
    }

    private static Result body(ResolvedRun run, RunDir dir, boolean resume, boolean restart, Reporter reporter,
                               NDManager manager, SigtermStop sigterm) {
        Reporter say = reporter.logTo(dir);
        Ended ended = resume ? Ended.read(dir) : null;
        Sessions.Opened opened;
        try {
            opened = Sessions.open(ended == null ? run : run.withTraining(run.training().withEpochs(ended.epochs())),
                    dir, manager, LoadOptions.defaults(), say);
        } catch (RuntimeException e) {
            if (!resume) {
                dir.discard(); // nothing trained: leave no folder that looks like a run
            }
            throw e;
        }
        try (TrainingSession session = opened.session()) {
            if (resume) {
                Checkpoints.Loaded from = session.resume(restart);
                if (from == null) {
                    say.line("no intact checkpoint: training again from step 0");
                } else {
                    from.warnings().forEach(w -> say.line("warning: " + w));
                    say.line("resumed at step " + from.step() + " from " + from.folder().getFileName());
                }
                if (ended != null) {
                    say.line("training had ended (" + ended.detail() + "); reopened at its end for test and bundle");
                }
            } else {
                dir.write(RunDir.CONFIG, ConfigLoader.toYaml(run.config()));
                dir.writeJson("provenance.json", opened.provenance());
                dir.write(RunExport.INFO, ModelBundle.infoJson(opened.bundleInfo()));
            }
            FitResult fit = fit(session, dir, say, sigterm);
            if (fit == null) {
                return new Result(new FitResult(StopReason.STOPPED, "stopped by SIGTERM", session.history()),
                        dir.path(), null, null);
            }
            if (ended != null) {
                fit = new FitResult(StopReason.valueOf(ended.reason()), ended.detail(), fit.history());
            } else if (fit.reason() != StopReason.DIVERGED) {
                dir.writeJson(Ended.FILE, new Ended(fit.reason().name(), fit.detail(), fit.history().size()));
            }
            ModelTail.curves(dir, EpochMetrics.rows(session.history()), say);
            Scores test = null;
            if (opened.test() != null) {
                test = ModelTail.test(session, opened.test(), dir, say);
                opened.test().close();
            }
            Path bundle = ModelTail.bundle(session.model(), opened.bundleInfo(), opened.val(), manager, dir, say);
            return new Result(fit, dir.path(), test, bundle);
        }
    }

    /** Trains to the end; returns how it ended, or null when SIGTERM stopped it (the JVM exits after the run). */
    private static FitResult fit(TrainingSession session, RunDir dir, Reporter say, SigtermStop sigterm) {
        sigterm.watch(session);
        FitResult reason = new FitLoop(session, List.of(new EpochConsole(say, dir, session))).run();
        dir.writeMetrics(EpochMetrics.rows(reason.history()));
        say.line(reason.detail());
        return reason.reason() == StopReason.STOPPED && sigterm.requested() ? null : reason;
    }
}
