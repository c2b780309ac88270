package dev.tuneup.repair;

/**
 * The confident joint of Northcutt, Jiang and Chuang (JAIR 2021, §3.1, Eq. 1-2), rows = given label i,
 * columns = latent true label j.
 *
 * <p>Threshold {@code t_j} is the mean predicted probability of class j over the examples labelled j (a class
 * nobody is labelled with gets {@code +infinity}, so nothing is ever confidently in it). An example labelled i
 * is counted in {@code counts[i][j]} for the class j with the largest {@code p_j} among the classes where
 * {@code p_j >= t_j - 1e-6} (cleanlab's float tolerance); an example with no class above its threshold is not
 * counted. Where two or more classes clear their thresholds, this is the paper's argmax over those classes;
 * cleanlab's vectorised code takes the plain argmax instead, which differs only when the overall most
 * probable class is itself below its threshold.
 *
 * <p>{@code calibrated} is cleanlab's {@code calibrate_confident_joint} applied after its guarantee that every
 * diagonal cell is at least 1: each row is rescaled to the number of examples given that label, the whole to
 * n, then rounded row by row keeping the row totals ({@link RowRounding}). So row i of {@code calibrated} sums
 * to the count of label i and the matrix sums to n.
 *
 * @param thresholds     per-class thresholds t_j
 * @param counts         raw confident counts (no diagonal clipping, no calibration)
 * @param calibrated     the calibrated confident joint
 * @param confidentClass per example, the column it was counted in, or -1 when it was not counted
 */
public record ConfidentJoint(double[] thresholds, int[][] counts, int[][] calibrated, int[] confidentClass) {
    /** cleanlab's tolerance on the threshold comparison. */
    public static final double THRESHOLD_TOLERANCE = 1e-6;

    /** Computes thresholds, counts and the calibrated joint from out-of-sample probabilities and given labels. */
    public static ConfidentJoint of(float[][] pred, int[] labels) {
        int k = ProbabilityInput.check(pred, labels);
        double[] t = thresholds(pred, labels, k);
        int[][] counts = new int[k][k];
        int[] confident = new int[pred.length];
        for (int x = 0; x < pred.length; x++) {
            float[] p = pred[x];
            int best = -1;
            for (int j = 0; j < k; j++) {
                if (p[j] >= t[j] - THRESHOLD_TOLERANCE && (best < 0 || p[j] > p[best])) {
                    best = j;
                }
            }
            confident[x] = best;
            if (best >= 0) {
                counts[labels[x]][best]++;
            }
        }
        return new ConfidentJoint(t, counts, calibrate(counts, ProbabilityInput.labelCounts(labels, k)), confident);
    }

    /** Per-class thresholds t_j = mean of p_j over examples labelled j; {@code +infinity} for an unused class. */
    public static double[] thresholds(float[][] pred, int[] labels) {
        return thresholds(pred, labels, ProbabilityInput.check(pred, labels));
    }

    private static double[] thresholds(float[][] pred, int[] labels, int k) {
        double[] sum = new double[k];
        int[] n = new int[k];
        for (int x = 0; x < pred.length; x++) {
            sum[labels[x]] += pred[x][labels[x]];
            n[labels[x]]++;
        }
        double[] t = new double[k];
        for (int j = 0; j < k; j++) {
            t[j] = n[j] == 0 ? Double.POSITIVE_INFINITY : sum[j] / n[j];
        }
        return t;
    }

    /**
     * cleanlab's {@code calibrate_confident_joint}: clip the diagonal to at least 1, scale row i to
     * {@code labelCounts[i]}, scale the total to {@code sum(labelCounts)}, round keeping row totals.
     */
    public static int[][] calibrate(int[][] counts, int[] labelCounts) {
        int k = counts.length;
        double[][] c = new double[k][k];
        long n = 0;
        for (int count : labelCounts) {
            n += count;
        }
        double total = 0;
        for (int i = 0; i < k; i++) {
            double row = 0;
            for (int j = 0; j < k; j++) {
                row += i == j ? Math.max(1, counts[i][j]) : counts[i][j];
            }
            for (int j = 0; j < k; j++) {
                double v = i == j ? Math.max(1, counts[i][j]) : counts[i][j];
                c[i][j] = v / row * labelCounts[i];
                total += c[i][j];
            }
        }
        for (double[] row : c) {
            for (int j = 0; j < k; j++) {
                row[j] = total == 0 ? 0 : row[j] / total * n;
            }
        }
        return RowRounding.preservingRowTotals(c);
    }

    /** Number of classes. */
    public int numClasses() {
        return thresholds.length;
    }

    /** Q = calibrated / n, the estimated joint P(given = i, true = j). */
    public double[][] joint() {
        return NoiseEstimates.joint(calibrated);
    }

    /** P(given = i | true = j), indexed [given][true]; columns sum to 1. */
    public double[][] noiseMatrix() {
        return NoiseEstimates.noiseMatrix(calibrated);
    }

    /** P(true = j | given = i), indexed [true][given] like cleanlab; columns sum to 1. */
    public double[][] inverseNoiseMatrix() {
        return NoiseEstimates.inverseNoiseMatrix(calibrated);
    }

    /** Per given class, the estimated fraction of its labels that are wrong. */
    public double[] noiseRates() {
        return NoiseEstimates.noiseRates(calibrated);
    }

    /** The estimated fraction of all labels that are wrong, 1 - trace(Q). */
    public double estimatedNoise() {
        return NoiseEstimates.estimatedNoise(calibrated);
    }
}
