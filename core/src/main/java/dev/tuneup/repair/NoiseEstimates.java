package dev.tuneup.repair;

/**
 * Latent-noise estimates from a calibrated confident joint {@code c[i][j]} (given i, true j), as cleanlab's
 * {@code estimate_joint} and {@code estimate_latent} with {@code py_method="cnt"}; cleanlab's extra
 * {@code clip_noise_rates} step is left out because exact column normalisation already gives valid rates.
 */
final class NoiseEstimates {
    private NoiseEstimates() {}

    /** Q[i][j] = c[i][j] / sum(c): the estimated joint distribution P(given = i, true = j). */
    static double[][] joint(int[][] c) {
        long total = 0;
        for (int[] row : c) {
            for (int v : row) {
                total += v;
            }
        }
        double[][] q = new double[c.length][c.length];
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) {
                q[i][j] = total == 0 ? 0 : c[i][j] / (double) total;
            }
        }
        return q;
    }

    /** noise[i][j] = P(given = i | true = j) = c[i][j] / sum_i c[i][j]; each column sums to 1 (0 if empty). */
    static double[][] noiseMatrix(int[][] c) {
        int k = c.length;
        double[][] m = new double[k][k];
        for (int j = 0; j < k; j++) {
            long col = 0;
            for (int i = 0; i < k; i++) {
                col += c[i][j];
            }
            for (int i = 0; i < k; i++) {
                m[i][j] = col == 0 ? 0 : c[i][j] / (double) col;
            }
        }
        return m;
    }

    /**
     * inverse[j][i] = P(true = j | given = i) = c[i][j] / sum_j c[i][j]; each column sums to 1 (0 if empty).
     * Indexed [true][given] like cleanlab's {@code inverse_noise_matrix}.
     */
    static double[][] inverseNoiseMatrix(int[][] c) {
        int k = c.length;
        double[][] m = new double[k][k];
        for (int i = 0; i < k; i++) {
            long row = 0;
            for (int j = 0; j < k; j++) {
                row += c[i][j];
            }
            for (int j = 0; j < k; j++) {
                m[j][i] = row == 0 ? 0 : c[i][j] / (double) row;
            }
        }
        return m;
    }

    /**
     * Per given class i, the estimated fraction of its labels that are wrong, {@code 1 - P(true = i | given = i)}
     * (cleanlab's {@code health_summary} "label_noise"); 0 for a class nobody is labelled with.
     */
    static double[] noiseRates(int[][] c) {
        double[][] inverse = inverseNoiseMatrix(c);
        double[] rates = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            long row = 0;
            for (int v : c[i]) {
                row += v;
            }
            rates[i] = row == 0 ? 0 : 1.0 - inverse[i][i];
        }
        return rates;
    }

    /** 1 - trace(Q): the estimated fraction of all given labels that are wrong. */
    static double estimatedNoise(int[][] c) {
        double[][] q = joint(c);
        double trace = 0;
        for (int i = 0; i < q.length; i++) {
            trace += q[i][i];
        }
        return 1.0 - trace;
    }
}
