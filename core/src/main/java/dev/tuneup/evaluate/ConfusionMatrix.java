package dev.tuneup.evaluate;

import dev.tuneup.TuneupException;
import java.util.Arrays;

/**
 * Counts of examples by true class (row) and predicted class (column), as scikit-learn's
 * {@code confusion_matrix}. Immutable: {@link #counts()} returns a copy.
 */
public record ConfusionMatrix(int[][] counts) {
    public ConfusionMatrix {
        if (counts == null || counts.length == 0) {
            throw new TuneupException("confusion matrix has no rows", "pass one row per class");
        }
        int[][] copy = new int[counts.length][];
        for (int t = 0; t < counts.length; t++) {
            if (counts[t] == null || counts[t].length != counts.length) {
                throw new TuneupException("confusion matrix row " + t + " has "
                        + (counts[t] == null ? "no" : counts[t].length) + " columns, not " + counts.length,
                        "pass a square matrix, one row and one column per class");
            }
            copy[t] = counts[t].clone();
            for (int c : copy[t]) {
                if (c < 0) {
                    throw new TuneupException("confusion matrix row " + t + " has a negative count " + c,
                            "counts are numbers of examples");
                }
            }
        }
        counts = copy;
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    @Override
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int t = 0; t < counts.length; t++) {
            copy[t] = counts[t].clone();
        }
        return copy;
    }

    /** Number of classes. */
    public int size() {
        return counts.length;
    }

    /** Examples of class {@code truth} predicted as {@code predicted}. */
    public int count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    /** Examples whose true class is {@code truth} (the class's support). */
    public int rowTotal(int truth) {
        return Arrays.stream(counts[truth]).sum();
    }

    /**
     * The count as a fraction of its row (how often examples of {@code truth} end up as
     * {@code predicted}, i.e. recall on the diagonal); 0 for a class without examples.
     */
    public double rowFraction(int truth, int predicted) {
        int total = rowTotal(truth);
        return total == 0 ? 0 : counts[truth][predicted] / (double) total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && Arrays.deepEquals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + Arrays.deepToString(counts);
    }
}
