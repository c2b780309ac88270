package dev.tuneup.workflow;

import dev.tuneup.train.LrFinder;
import java.util.Locale;

/** The LR finder's sweep as a progress bar, opened at its first step. */
final class LrProgress implements LrFinder.Progress, AutoCloseable {
    private final Reporter out;
    private Reporter.Progress bar;

    LrProgress(Reporter out) {
        this.out = out;
    }

    @Override
    public void onStep(int step, int steps, double lr, double loss, double smoothed) {
        if (bar == null) {
            bar = out.progress("lr-find", steps, "step");
        }
        bar.message(String.format(Locale.ROOT, " lr %.1e loss %.3f", lr, smoothed));
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
