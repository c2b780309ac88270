package dev.tuneup.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.loader.Batch;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * The learning-rate range test (Smith, 2017; fastai's {@code lr_find}): train a ready session for up
 * to {@code steps} batches with the LR growing exponentially from {@code start} to {@code end}, record
 * the loss and its bias-corrected exponential moving average (beta 0.98), stop once the smoothed loss
 * exceeds 4x its minimum or a loss is not finite, and suggest learning rates from the curve.
 *
 * <p>It uses {@link FitLoop}'s own training step (same loss, label smoothing, L1, clipping, optimizer),
 * cycling the training loader's epochs when {@code steps} exceeds one. Afterwards — also when it throws —
 * the model's weights (frozen and trainable, with normalisation statistics), the optimizer state and the
 * run's position are exactly what they were: the sweep is a look, not training. It writes no checkpoint
 * and no history.
 */
public final class LrFinder {
    public static final double DEFAULT_START = 1e-7;
    public static final double DEFAULT_END = 10;
    public static final int DEFAULT_STEPS = 100;
    static final double BETA = 0.98;
    static final double DIVERGENCE_FACTOR = 4;

    /** Told about each recorded step (e.g. for a progress bar); throwing ends the sweep (state is restored). */
    @FunctionalInterface
    public interface Progress {
        void onStep(int step, int steps, double lr, double loss, double smoothed);
    }

    /**
     * What the sweep saw: per recorded step the LR, the raw loss and the smoothed loss (all finite),
     * the three suggestions (NaN when too few steps were recorded) and why it ended. {@code
     * dev.tuneup.report.LrFinderPlot} draws it.
     *
     * @param steepest  LR at the most negative slope of the smoothed loss against log LR
     * @param valley    fastai's "valley": the longest decreasing stretch of the smoothed loss, about halfway along it
     * @param minOver10 the LR of the lowest smoothed loss, divided by 10
     */
    public record Result(double[] lrs, double[] losses, double[] smoothed, double steepest, double valley,
                         double minOver10, String stopReason) {
        @Override
        public String toString() {
            return "LrFinder.Result[" + lrs.length + " steps, valley=" + fmt(valley) + ", steepest=" + fmt(steepest)
                    + ", min/10=" + fmt(minOver10) + ", " + stopReason + "]";
        }
    }

    private LrFinder() {
    }

    /** The sweep with fastai's defaults: 1e-7 to 10 over 100 batches. */
    public static Result run(TrainingSession s) {
        return run(s, DEFAULT_START, DEFAULT_END, DEFAULT_STEPS, null);
    }

    public static Result run(TrainingSession s, double start, double end, int steps) {
        return run(s, start, end, steps, null);
    }

    /**
     * Runs the sweep and puts the session back as it was.
     *
     * @param progress told about every recorded step; may be null
     */
    public static Result run(TrainingSession s, double start, double end, int steps, Progress progress) {
        if (!(start > 0) || !(end > start) || !Double.isFinite(end)) {
            throw new TuneupException("LR sweep from " + start + " to " + end + " is not a range of positive rates",
                    "use 0 < start < end, e.g. start 1e-7, end 10");
        }
        if (steps < 2) {
            throw new TuneupException("LR sweep of " + steps + " steps is too short", "use at least 2 steps (100 is usual)");
        }
        if (s.train.batchesPerEpoch() == 0) {
            throw new TuneupException("the training loader has no batches", "use a batch size no larger than the training set");
        }
        byte[] weights = s.modelBytes();
        byte[] optimizerState;
        try (NDList state = s.optimizer.exportState()) {
            optimizerState = state.encode();
        }
        TrainingSession.Position saved = s.pos;
        TrainingSession.Position scratch = new TrainingSession.Position();
        scratch.epoch = saved.epoch;
        scratch.step = saved.step;
        s.pos = scratch;
        try {
            return sweep(s, start, end, steps, progress);
        } finally {
            s.pos = saved;
            s.loadModel(weights);
            try (NDManager tmp = NDManager.newBaseManager()) {
                s.optimizer.importState(NDList.decode(tmp, optimizerState));
            }
        }
    }

    private static Result sweep(TrainingSession s, double start, double end, int steps, Progress progress) {
        double[] lrs = new double[steps];
        double[] losses = new double[steps];
        double[] smoothed = new double[steps];
        int n = 0;
        double avg = 0;
        double best = Double.POSITIVE_INFINITY;
        String reason = "completed " + steps + " steps up to LR " + fmt(end);
        int epoch = s.pos.epoch;
        Iterator<Batch> it = s.train.epoch(epoch, s.manager);
        for (int i = 0; i < steps; i++) {
            if (s.stopReason() != null) {
                reason = "stopped: " + s.stopDetail();
                break;
            }
            if (!it.hasNext()) {
                it = s.train.epoch(++epoch, s.manager);
            }
            double lr = start * Math.pow(end / start, (double) i / (steps - 1));
            double loss;
            try (Batch b = it.next()) {
                loss = FitLoop.step(s, b, lr);
            }
            s.pos.step++;
            if (!Double.isFinite(loss)) {
                reason = "diverged: loss or gradient norm is " + loss + " at LR " + fmt(lr);
                break;
            }
            avg = BETA * avg + (1 - BETA) * loss;
            double smooth = avg / (1 - Math.pow(BETA, n + 1));
            lrs[n] = lr;
            losses[n] = loss;
            smoothed[n] = smooth;
            n++;
            best = Math.min(best, smooth);
            if (progress != null) {
                progress.onStep(n, steps, lr, loss, smooth);
            }
            if (smooth > DIVERGENCE_FACTOR * best) {
                reason = "diverged: smoothed loss " + fmt(smooth) + " > " + (int) DIVERGENCE_FACTOR + "x its minimum "
                        + fmt(best) + " at LR " + fmt(lr);
                break;
            }
        }
        lrs = Arrays.copyOf(lrs, n);
        losses = Arrays.copyOf(losses, n);
        smoothed = Arrays.copyOf(smoothed, n);
        double[] sug = suggest(lrs, smoothed, steps / 10);
        return new Result(lrs, losses, smoothed, sug[0], sug[1], sug[2], reason);
    }

    /**
     * {steepest, valley, minimum/10} from the smoothed curve, as fastai computes them: on the points
     * left after dropping the first {@code skip} (a tenth of the planned steps: the flat start) and the
     * last 5 (the run-up to divergence); all points when that leaves fewer than 3. NaN when fewer
     * than 2 points were recorded.
     */
    static double[] suggest(double[] lrs, double[] smoothed, int skip) {
        int n = lrs.length;
        int from = skip;
        int to = n - 5;
        if (to - from < 3) {
            from = 0;
            to = n;
        }
        if (to - from < 2) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        // steepest: most negative d(loss)/d(log lr) between neighbours, at the left point
        int steep = from;
        double steepest = Double.POSITIVE_INFINITY;
        for (int i = from; i < to - 1; i++) {
            double slope = (smoothed[i + 1] - smoothed[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
            if (slope < steepest) {
                steepest = slope;
                steep = i;
            }
        }
        // valley: longest strictly decreasing subsequence ending at each point; the longest wins (first on ties)
        int len = to - from;
        int[] lds = new int[len];
        Arrays.fill(lds, 1);
        int end = 0;
        for (int i = 1; i < len; i++) {
            for (int j = 0; j < i; j++) {
                if (smoothed[from + i] < smoothed[from + j] && lds[i] < lds[j] + 1) {
                    lds[i] = lds[j] + 1;
                }
            }
            if (lds[end] < lds[i]) {
                end = i;
            }
        }
        int start = Math.max(0, end - lds[end]);
        int third = (end - start) / 3;
        int valley = from + start + third + third / 2;
        // minimum
        int min = from;
        for (int i = from; i < to; i++) {
            if (smoothed[i] < smoothed[min]) {
                min = i;
            }
        }
        return new double[] {lrs[steep], lrs[valley], lrs[min] / 10};
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
