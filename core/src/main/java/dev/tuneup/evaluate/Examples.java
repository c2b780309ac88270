package dev.tuneup.evaluate;

import dev.tuneup.TuneupException;
import dev.tuneup.internal.Indices;

/**
 * The per-example quantities every metric is a (weighted) sum of, computed once from validated input:
 * true and predicted class, confidence and its bin, the example's log loss and Brier score, and
 * whether the true class is among the top k. Bootstrap resamples only re-weight these.
 */
final class Examples {
    /** Rows whose sum is further than this from 1 are rejected as not being probabilities. */
    static final double SUM_TOLERANCE = 1e-3;
    /** log_loss's clipping in scikit-learn 1.2 (eps="auto"): numpy's float64 machine epsilon, 2^-52. */
    static final double EPS = Math.ulp(1.0);

    final int n;
    final int classes;
    final int bins;
    final int topK;
    final int[] label;
    final int[] predicted;
    final int[] bin;
    final double[] confidence;
    final double[] nll;
    final double[] brier;
    final boolean[] topKHit;

    private Examples(int n, int classes, int bins, int topK) {
        this.n = n;
        this.classes = classes;
        this.bins = bins;
        this.topK = topK;
        label = new int[n];
        predicted = new int[n];
        bin = new int[n];
        confidence = new double[n];
        nll = new double[n];
        brier = new double[n];
        topKHit = new boolean[n];
    }

    /** Validates the input and computes the per-example quantities; every check names the row at fault. */
    static Examples of(float[][] probabilities, int[] labels, int classes, int bins, int topK) {
        if (probabilities == null || labels == null) {
            throw new TuneupException("no " + (probabilities == null ? "probabilities" : "labels") + " to evaluate",
                    "pass one probability row and one label per example");
        }
        if (probabilities.length != labels.length) {
            throw new TuneupException(probabilities.length + " probability rows but " + labels.length + " labels",
                    "pass one label per probability row, in the same order");
        }
        if (labels.length == 0) {
            throw new TuneupException("no examples to evaluate", "evaluate on a non-empty data set");
        }
        Examples ex = new Examples(labels.length, classes, bins, topK);
        for (int i = 0; i < ex.n; i++) {
            ex.set(i, row(probabilities, i, classes), label(labels, i, classes));
        }
        return ex;
    }

    private void set(int i, float[] p, int t) {
        int best = Indices.argmax(p);
        label[i] = t;
        predicted[i] = best;
        confidence[i] = p[best];
        bin[i] = Math.min(bins - 1, Math.max(0, (int) Math.ceil(confidence[i] * bins) - 1));
        // scikit-learn 1.2 log_loss: clip to [eps, 1 - eps], renormalise the row, then -ln p_true.
        double clippedSum = 0;
        double sq = 0;
        int rank = 0;
        for (int j = 0; j < classes; j++) {
            clippedSum += clip(p[j]);
            double d = p[j] - (j == t ? 1.0 : 0.0);
            sq += d * d;
            if (p[j] > p[t] || (p[j] == p[t] && j < t)) {
                rank++;
            }
        }
        nll[i] = -Math.log(clip(p[t]) / clippedSum);
        brier[i] = sq;
        topKHit[i] = rank < topK;
    }

    private static double clip(double p) {
        return Math.min(1 - EPS, Math.max(EPS, p));
    }

    private static float[] row(float[][] probabilities, int i, int classes) {
        float[] p = probabilities[i];
        if (p == null || p.length != classes) {
            throw new TuneupException("probability row " + i + " has " + (p == null ? "no" : p.length)
                    + " values, not one per class (" + classes + ")", "pass a row of class probabilities per example,"
                    + " in the order of the class list");
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            if (!(p[j] >= 0 && p[j] <= 1)) {
                throw new TuneupException("probability row " + i + " has " + p[j] + " for class " + j,
                        "pass softmax probabilities in [0, 1]" + (Float.isNaN(p[j]) ? "; the model produced NaN"
                                : ", not logits (apply softmax first)"));
            }
            sum += p[j];
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new TuneupException("probability row " + i + " sums to " + sum + ", not 1",
                    "pass softmax probabilities (each row sums to 1), not logits or sigmoid scores");
        }
        return p;
    }

    private static int label(int[] labels, int i, int classes) {
        int t = labels[i];
        if (t < 0 || t >= classes) {
            throw new TuneupException("label " + i + " is " + t + ", outside the " + classes + " classes (0.."
                    + (classes - 1) + ")", "pass class indices into the class list");
        }
        return t;
    }
}
