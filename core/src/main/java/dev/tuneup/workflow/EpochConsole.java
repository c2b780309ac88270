package dev.tuneup.workflow;

import dev.tuneup.track.RunDir;
import dev.tuneup.train.EpochMetrics;
import dev.tuneup.train.FitListener;
import dev.tuneup.train.TrainingSession;
import java.util.Locale;

/** A progress bar per epoch, and a line and a metrics.csv update at each epoch's end. */
final class EpochConsole implements FitListener {
    private final Reporter out;
    private final RunDir dir;
    private final TrainingSession session;
    private Reporter.Progress bar;
    private double loss = Double.NaN;

    EpochConsole(Reporter out, RunDir dir, TrainingSession session) {
        this.out = out;
        this.dir = dir;
        this.session = session;
    }

    @Override
    public void onEpochStart(int epoch, int batches, int firstBatch) {
        bar = out.progress("epoch " + (epoch + 1), batches, "batch");
        bar.stepTo(firstBatch);
    }

    @Override
    public void onBatchEnd(BatchEnd b) {
        loss = Double.isNaN(loss) ? b.loss() : 0.9 * loss + 0.1 * b.loss();
        bar.message(String.format(Locale.ROOT, " loss %.3f acc %.3f lr %.2g", loss, session.runningAccuracy(), b.lr()));
        bar.step();
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        bar.close();
        dir.writeMetrics(EpochMetrics.rows(session.history()));
        out.line(String.format(Locale.ROOT, "epoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f top5 %.4f"
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
