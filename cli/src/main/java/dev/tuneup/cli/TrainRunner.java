package dev.tuneup.cli;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.evaluate.Calibrate;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.Checkpoints;
import dev.tuneup.train.EpochMetrics;
import dev.tuneup.train.FitListener;
import dev.tuneup.train.FitLoop;
import dev.tuneup.train.RunExport;
import dev.tuneup.train.Runs;
import dev.tuneup.train.TrainingSession;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import me.tongfei.progressbar.ProgressBar;

/**
 * What {@code train}, {@code resume} and {@code quickstart} share: open the session for a run
 * folder, print and log as it goes, draw a progress bar per epoch, write metrics.csv after every
 * epoch, and turn SIGTERM into "finish the step, checkpoint, exit".
 */
final class TrainRunner {
    /** What a finished run reports. */
    record Result(String reason, Path dir, List<java.util.Map<String, Object>> history, double[] test) {
    }

    private TrainRunner() {
    }

    static Result run(RunConfig config, RunDir dir, boolean resume, PrintWriter out) {
        out.println((resume ? "resuming " : "training -> ") + dir.path());
        out.flush();
        try (NDManager manager = NDManager.newBaseManager()) {
            Runs.Opened opened;
            try {
                opened = Runs.open(config, dir, manager, LoadOptions.defaults(), line -> say(out, dir, line));
            } catch (RuntimeException e) {
                if (!resume) {
                    dir.discard(); // nothing trained: leave no folder that looks like a run
                }
                throw e;
            }
            try (TrainingSession session = opened.session()) {
                if (resume) {
                    Checkpoints.Loaded from = session.resume();
                    if (from == null) {
                        say(out, dir, "no intact checkpoint yet: starting from the beginning");
                    } else {
                        from.warnings().forEach(w -> say(out, dir, "warning: " + w));
                        say(out, dir, "resumed at step " + from.step() + " from " + from.folder().getFileName());
                    }
                } else {
                    dir.write(RunDir.CONFIG, ConfigLoader.toYaml(config));
                    dir.writeJson("provenance.json", opened.provenance());
                    dir.write(RunExport.INFO, ModelBundle.infoJson(opened.bundleInfo()));
                }
                CountDownLatch done = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    session.requestStop("stopped by SIGTERM (checkpoint written; resume with tuneup resume " + dir.path() + ")");
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "tuneup-sigterm");
                Runtime.getRuntime().addShutdownHook(hook);
                String reason;
                try {
                    reason = new FitLoop(session, List.of(new Console(out, dir, session))).run();
                    dir.writeMetrics(session.history());
                    say(out, dir, reason);
                } finally {
                    done.countDown(); // a SIGTERM hook waits for this: the checkpoint, metrics and log are written
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    return new Result(reason, dir.path(), session.history(), null); // exiting on SIGTERM
                }
                double[] test = null;
                if (opened.test() != null) {
                    test = session.evaluate(opened.test());
                    say(out, dir, String.format(Locale.ROOT, "test: loss %.4f, accuracy %.4f, top-5 %.4f", test[0], test[1],
                            test[2]));
                    dir.writeJson("test.json", java.util.Map.of("loss", test[0], "accuracy", test[1], "top5", test[2]));
                    opened.test().close();
                }
                Calibrate cal = Calibrate.fit(session.model(), opened.bundleInfo(), opened.val(), manager);
                say(out, dir, cal.toString());
                Path bundle = dir.path().resolve("bundle");
                ModelBundle.write(bundle, session.model(), cal.applyTo(opened.bundleInfo()));
                say(out, dir, "bundle -> " + bundle);
                return new Result(reason, dir.path(), session.history(), test);
            }
        }
    }

    static void say(PrintWriter out, RunDir dir, String line) {
        out.println(line);
        out.flush();
        dir.log(line);
    }

    /** Progress bar per epoch, a line and a metrics.csv update at each epoch's end. */
    static final class Console implements FitListener {
        private final PrintWriter out;
        private final RunDir dir;
        private final TrainingSession session;
        private ProgressBar bar;
        private double loss = Double.NaN;

        Console(PrintWriter out, RunDir dir, TrainingSession session) {
            this.out = out;
            this.dir = dir;
            this.session = session;
        }

        @Override
        public void onEpochStart(int epoch, int batches, int firstBatch) {
            bar = Progress.bar("epoch " + (epoch + 1), batches, "batch");
            bar.stepTo(firstBatch);
        }

        @Override
        public void onBatchEnd(BatchEnd b) {
            loss = Double.isNaN(loss) ? b.loss() : 0.9 * loss + 0.1 * b.loss();
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f acc %.3f lr %.2g", loss, session.runningAccuracy(),
                    b.lr()));
            bar.step();
        }

        @Override
        public void onEpochEnd(EpochMetrics m) {
            bar.close();
            dir.writeMetrics(session.history());
            say(out, dir, String.format(Locale.ROOT, "epoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f top5 %.4f"
                            + " | lr %.3g | %.0f img/s, %.0f%% waiting for data", m.epoch() + 1, m.trainLoss(), m.trainAcc(),
                    m.valLoss(), m.valAcc(), m.valTop5(), m.lr(), m.imagesPerSecond(), 100 * m.dataWait()));
        }

        @Override
        public void onStop(String reason) {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
