package dev.tuneup.repair;

import dev.tuneup.TuneupException;

/** Checks the (predicted probabilities, given labels) pair every confident-learning step takes. */
final class ProbabilityInput {
    private ProbabilityInput() {}

    /** Validates the shapes and ranges and returns the number of classes k. */
    static int check(float[][] pred, int[] labels) {
        if (pred == null || labels == null || pred.length == 0) {
            throw new TuneupException("no predicted probabilities or labels to look for label issues in",
                    "pass one row of out-of-sample predicted probabilities and one given label per example");
        }
        if (pred.length != labels.length) {
            throw new TuneupException("got " + pred.length + " rows of predicted probabilities but "
                    + labels.length + " labels", "pass exactly one label per row of probabilities");
        }
        int k = pred[0] == null ? 0 : pred[0].length;
        if (k < 2) {
            throw new TuneupException("predicted probabilities have " + k + " classes",
                    "pass a softmax row with one column per class (at least 2)");
        }
        for (int x = 0; x < pred.length; x++) {
            float[] p = pred[x];
            if (p == null || p.length != k) {
                throw new TuneupException("row " + x + " of the predicted probabilities has "
                        + (p == null ? 0 : p.length) + " columns, expected " + k,
                        "give every example a probability for each of the " + k + " classes");
            }
            for (int j = 0; j < k; j++) {
                if (!(p[j] >= 0f && p[j] <= 1f)) {
                    throw new TuneupException("predicted probability [" + x + "][" + j + "] = " + p[j]
                            + " is not in [0, 1]", "pass softmax probabilities, not logits");
                }
            }
            if (labels[x] < 0 || labels[x] >= k) {
                throw new TuneupException("label " + labels[x] + " of example " + x + " is not a class index in [0, "
                        + k + ")", "map labels to 0.." + (k - 1) + " in the order of the probability columns");
            }
        }
        return k;
    }

    /** How many examples carry each given label. */
    static int[] labelCounts(int[] labels, int k) {
        int[] counts = new int[k];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }
}
