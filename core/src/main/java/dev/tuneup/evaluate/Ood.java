package dev.tuneup.evaluate;

import java.util.Arrays;

/**
 * Out-of-distribution scores from logits, higher meaning "more in-distribution": the maximum
 * softmax probability (Hendrycks and Gimpel, 2017) and the negative free energy
 * {@code T log sum exp(z / T)} (Liu et al., 2020), and the AUROC of telling in-distribution images
 * (positives) from other ones with a score.
 */
public final class Ood {
    private Ood() {
    }

    /** Maximum softmax probability per row. */
    public static double[] msp(float[][] logits) {
        double[] out = new double[logits.length];
        float[][] p = Temperature.softmax(logits, 1);
        for (int i = 0; i < p.length; i++) {
            double m = 0;
            for (float v : p[i]) {
                m = Math.max(m, v);
            }
            out[i] = m;
        }
        return out;
    }

    /** Negative energy, {@code log sum exp(z)} at temperature 1, per row. */
    public static double[] energy(float[][] logits) {
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = Temperature.logSumExp(logits[i], 1);
        }
        return out;
    }

    /**
     * The probability that a random in-distribution score exceeds a random other one (ties count
     * half): the Mann-Whitney U statistic over {@code in.length * other.length}.
     */
    public static double auroc(double[] in, double[] other) {
        if (in.length == 0 || other.length == 0) {
            throw new IllegalArgumentException("AUROC needs scores on both sides; got " + in.length + " and " + other.length);
        }
        int n = in.length + other.length;
        double[] all = new double[n];
        boolean[] pos = new boolean[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            all[i] = i < in.length ? in[i] : other[i - in.length];
            pos[i] = i < in.length;
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double rankSum = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && all[order[j + 1]] == all[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1; // average rank of the tie group, 1-based
            for (int t = i; t <= j; t++) {
                if (pos[order[t]]) {
                    rankSum += rank;
                }
            }
            i = j + 1;
        }
        double u = rankSum - (double) in.length * (in.length + 1) / 2;
        return u / ((double) in.length * other.length);
    }
}
