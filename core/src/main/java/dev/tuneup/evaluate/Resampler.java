package dev.tuneup.evaluate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Computes {@link Bootstrap} intervals by re-weighting the {@link Examples}; see {@link Bootstrap}. */
final class Resampler {
    private Resampler() {
    }

    static Bootstrap run(Examples ex, int samples, long seed, double level) {
        if (samples == 0) {
            return new Bootstrap(0, seed, level, Interval.NONE, Interval.NONE, Interval.NONE, Interval.NONE);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] accuracy = new double[samples];
        double[] macroF1 = new double[samples];
        double[] nll = new double[samples];
        double[] ece = new double[samples];
        int[] weights = new int[ex.n];
        for (int s = 0; s < samples; s++) {
            Arrays.fill(weights, 0);
            for (int i = 0; i < ex.n; i++) {
                weights[random.nextInt(ex.n)]++;
            }
            Tally t = Tally.of(ex, weights);
            accuracy[s] = t.accuracy();
            macroF1[s] = t.macroF1();
            nll[s] = t.nll();
            ece[s] = t.ece();
        }
        return new Bootstrap(samples, seed, level, interval(accuracy, level), interval(macroF1, level),
                interval(nll, level), interval(ece, level));
    }

    private static Interval interval(double[] values, double level) {
        Arrays.sort(values);
        return new Interval(quantile(values, (1 - level) / 2), quantile(values, (1 + level) / 2));
    }

    /** The q-quantile of sorted values with linear interpolation (numpy.percentile's default method). */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
