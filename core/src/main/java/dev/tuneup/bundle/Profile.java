package dev.tuneup.bundle;

import dev.tuneup.internal.Indices;
import java.util.Arrays;

/**
 * What the model's outputs looked like on its validation images, the reference that drift
 * monitoring compares live traffic against ({@code dev.tuneup.monitor.Drift}). Computed from the
 * probabilities at the bundle's temperature, so it describes exactly what a server sees.
 *
 * <p>The confidence of an image is its largest probability. Bin {@code i} holds confidences in
 * {@code [confidenceEdges[i], confidenceEdges[i + 1])}, the last bin includes 1. {@link #EDGES}, the
 * edges {@link #of} uses, are tenths up to 0.9 and then finer (0.95, 0.99) because a confident model
 * puts most images above 0.9.
 *
 * @param n               validation images, at least 1
 * @param classShare      share of the images predicted (argmax) as each class, in output order; sums to 1
 * @param confidenceEdges bin edges, strictly increasing from 0 to 1
 * @param confidenceShare share of the images per confidence bin; one fewer than the edges; sums to 1
 * @param accuracy        share of the images whose argmax is their label, in [0, 1]
 * @param meanConfidence  mean largest probability, in [0, 1]
 */
public record Profile(int n, double[] classShare, double[] confidenceEdges, double[] confidenceShare, double accuracy,
                      double meanConfidence) {
    /** The confidence bin edges {@link #of} uses: 0, 0.1, ..., 0.9, 0.95, 0.99, 1 (12 bins). */
    public static final double[] EDGES = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1};
    private static final double TOLERANCE = 1e-6;

    public Profile {
        if (n < 1) {
            throw new IllegalArgumentException("a profile needs at least one validation image, got n = " + n);
        }
        classShare = shares("classShare", classShare);
        confidenceShare = shares("confidenceShare", confidenceShare);
        if (confidenceEdges == null || confidenceEdges.length != confidenceShare.length + 1) {
            throw new IllegalArgumentException("confidenceEdges must have one more value than the " + confidenceShare.length
                    + " confidence bins, got " + Arrays.toString(confidenceEdges));
        }
        confidenceEdges = confidenceEdges.clone();
        if (confidenceEdges[0] != 0 || confidenceEdges[confidenceEdges.length - 1] != 1) {
            throw new IllegalArgumentException("confidenceEdges must run from 0 to 1, got " + Arrays.toString(confidenceEdges));
        }
        for (int i = 1; i < confidenceEdges.length; i++) {
            if (!(confidenceEdges[i] > confidenceEdges[i - 1])) {
                throw new IllegalArgumentException("confidenceEdges must increase strictly, got "
                        + Arrays.toString(confidenceEdges));
            }
        }
        if (!(accuracy >= 0 && accuracy <= 1) || !(meanConfidence >= 0 && meanConfidence <= 1)) {
            throw new IllegalArgumentException("accuracy and meanConfidence must be in [0, 1], got " + accuracy + " and "
                    + meanConfidence);
        }
    }

    /**
     * The profile of {@code probabilities} ({@code [n][classes]}, rows summing to 1) for the true
     * {@code labels}, binned by {@link #EDGES}.
     */
    public static Profile of(float[][] probabilities, int[] labels) {
        if (probabilities.length == 0 || probabilities.length != labels.length) {
            throw new IllegalArgumentException("need as many probability rows as labels, and at least one; got "
                    + probabilities.length + " and " + labels.length);
        }
        int n = probabilities.length;
        int k = probabilities[0].length;
        double[] classes = new double[k];
        double[] bins = new double[EDGES.length - 1];
        int correct = 0;
        double confidence = 0;
        for (int i = 0; i < n; i++) {
            if (probabilities[i].length != k) {
                throw new IllegalArgumentException("row " + i + " has " + probabilities[i].length + " probabilities, row 0 has "
                        + k);
            }
            int top = Indices.argmax(probabilities[i]);
            double max = probabilities[i][top];
            classes[top]++;
            bins[bin(EDGES, Math.min(1, max))]++;
            correct += top == labels[i] ? 1 : 0;
            confidence += max;
        }
        for (int j = 0; j < k; j++) {
            classes[j] /= n;
        }
        for (int b = 0; b < bins.length; b++) {
            bins[b] /= n;
        }
        return new Profile(n, classes, EDGES, bins, (double) correct / n, Math.min(1, confidence / n));
    }

    /** The bin of confidence {@code maxProb} (a largest probability, in [0, 1]) in this profile's edges. */
    public int confidenceBin(double maxProb) {
        return bin(confidenceEdges, maxProb);
    }

    private static int bin(double[] edges, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a confidence must be in [0, 1], got " + p);
        }
        int i = Arrays.binarySearch(edges, p);
        int b = i >= 0 ? i : -i - 2;
        return Math.min(b, edges.length - 2);
    }

    private static double[] shares(String name, double[] shares) {
        if (shares == null || shares.length == 0) {
            throw new IllegalArgumentException(name + " must have at least one value");
        }
        double sum = 0;
        for (double s : shares) {
            if (!(s >= 0)) {
                throw new IllegalArgumentException(name + " must not be negative, got " + Arrays.toString(shares));
            }
            sum += s;
        }
        if (Math.abs(sum - 1) > TOLERANCE) {
            throw new IllegalArgumentException(name + " must sum to 1 (within " + TOLERANCE + "), got " + sum + " for "
                    + Arrays.toString(shares));
        }
        return shares.clone();
    }
}
