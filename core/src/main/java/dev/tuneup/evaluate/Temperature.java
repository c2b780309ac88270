package dev.tuneup.evaluate;

import dev.tuneup.bundle.Predictor;

/**
 * Temperature scaling (Guo et al., 2017): one scalar {@code T} that divides the logits, fitted on
 * held-out data by minimising the negative log-likelihood. It changes confidence, never the
 * predicted class. The NLL is convex in {@code 1/T}, so a golden-section search on {@code log T}
 * over [0.05, 20] finds the optimum to within 1e-6 relative.
 */
public final class Temperature {
    private static final double LO = Math.log(0.05);
    private static final double HI = Math.log(20);

    private Temperature() {
    }

    /** The temperature minimising the NLL of {@code logits} ({@code [n][k]}) for {@code labels}. */
    public static double fit(float[][] logits, int[] labels) {
        if (logits.length == 0 || logits.length != labels.length) {
            throw new IllegalArgumentException("need as many logit rows as labels, and at least one; got "
                    + logits.length + " and " + labels.length);
        }
        double g = (Math.sqrt(5) - 1) / 2;
        double a = LO;
        double b = HI;
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        double fc = nll(logits, labels, Math.exp(c));
        double fd = nll(logits, labels, Math.exp(d));
        while (b - a > 1e-7) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = nll(logits, labels, Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = nll(logits, labels, Math.exp(d));
            }
        }
        return Math.exp((a + b) / 2);
    }

    /** Mean negative log-likelihood of the labels under softmax(logits / t). */
    public static double nll(float[][] logits, int[] labels, double t) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            sum += logSumExp(logits[i], t) - logits[i][labels[i]] / t;
        }
        return sum / logits.length;
    }

    /** {@code log sum exp(z / t)}, computed stably. */
    static double logSumExp(float[] z, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v / t);
        }
        double s = 0;
        for (float v : z) {
            s += Math.exp(v / t - max);
        }
        return max + Math.log(s);
    }

    /** softmax(logits / t), row by row, into new arrays (the bundle's {@link Predictor} softmax). */
    public static float[][] softmax(float[][] logits, double t) {
        float[][] out = new float[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i].clone();
            Predictor.softmaxInPlace(out[i], t);
        }
        return out;
    }
}
