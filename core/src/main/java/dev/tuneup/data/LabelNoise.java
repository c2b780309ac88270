package dev.tuneup.data;

import java.util.SplittableRandom;

/**
 * Injects label noise for label-error experiments and records the true labels, so a method that
 * finds mislabeled images can be scored. Deterministic per seed.
 */
public final class LabelNoise {
    private LabelNoise() {
    }

    /** The noisy set, the labels it had before, and which images were flipped. */
    public record Noisy(ImageSet set, int[] trueLabels) {
        public boolean flipped(int i) {
            return set.label(i) != trueLabels[i];
        }

        public int flippedCount() {
            int n = 0;
            for (int i = 0; i < trueLabels.length; i++) {
                n += flipped(i) ? 1 : 0;
            }
            return n;
        }
    }

    /** Each label is, with probability {@code rate}, replaced by a different class chosen uniformly. */
    public static Noisy symmetric(ImageSet set, double rate, long seed) {
        int k = set.numClasses();
        if (rate < 0 || rate > 1 || k < 2) {
            throw new IllegalArgumentException("noise rate must be in [0, 1] with at least 2 classes");
        }
        double[][] t = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                t[i][j] = i == j ? 1 - rate : rate / (k - 1);
            }
        }
        return fromMatrix(set, t, seed);
    }

    /**
     * Class-conditional noise: an image of true class {@code i} gets label {@code j} with
     * probability {@code matrix[i][j]}. Each row must be non-negative and sum to 1.
     */
    public static Noisy fromMatrix(ImageSet set, double[][] matrix, long seed) {
        int k = set.numClasses();
        if (matrix.length != k) {
            throw new IllegalArgumentException("noise matrix has " + matrix.length + " rows, the set has " + k + " classes");
        }
        for (int i = 0; i < k; i++) {
            double sum = 0;
            if (matrix[i].length != k) {
                throw new IllegalArgumentException("noise matrix row " + i + " has " + matrix[i].length + " entries, expected " + k);
            }
            for (double p : matrix[i]) {
                if (p < 0) {
                    throw new IllegalArgumentException("noise matrix row " + i + " has a negative entry");
                }
                sum += p;
            }
            if (Math.abs(sum - 1) > 1e-9) {
                throw new IllegalArgumentException("noise matrix row " + i + " sums to " + sum + ", not 1");
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] truth = set.labels();
        int[] noisy = new int[truth.length];
        for (int n = 0; n < truth.length; n++) {
            double u = rng.nextDouble();
            double[] row = matrix[truth[n]];
            int j = 0;
            double acc = row[0];
            while (u >= acc && j < k - 1) {
                acc += row[++j];
            }
            noisy[n] = j;
        }
        return new Noisy(set.withLabels(noisy, set.classes()), truth);
    }
}
