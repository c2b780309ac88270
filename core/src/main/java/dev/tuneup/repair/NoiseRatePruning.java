package dev.tuneup.repair;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * cleanlab's {@code prune_by_noise_rate} with {@code frac_noise = 1} and {@code min_examples_per_class = 1}.
 *
 * <p>The number of examples to flag in cell (given i, true j) is the calibrated confident joint's
 * {@code c[i][j]}, which equals {@code round(n * Q[i][j])} with the rounding that keeps row totals. Every class
 * keeps at least one example: if a row's diagonal is 0 it becomes 1 and the largest off-diagonal count of the
 * row gives up that unit (cleanlab spreads it over the row's non-zero cells and truncates). A class with a
 * single given example is never pruned. Among the examples labelled i, those whose margin
 * {@code p_j - p_i} is at least the {@code c[i][j]}-th largest margin are flagged, so examples tied at the cut
 * are all flagged, as in cleanlab.
 */
final class NoiseRatePruning {
    private NoiseRatePruning() {}

    /** The flagged examples, before the final "argmax equals the given label" filter. */
    static boolean[] select(float[][] pred, int[] labels, int[][] calibrated) {
        int k = calibrated.length;
        int[][] prune = keepOnePerClass(calibrated);
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            members.add(new ArrayList<>());
        }
        for (int x = 0; x < labels.length; x++) {
            members.get(labels[x]).add(x);
        }
        boolean[] mask = new boolean[labels.length];
        for (int i = 0; i < k; i++) {
            List<Integer> given = members.get(i);
            if (given.size() <= 1) {
                continue;
            }
            for (int j = 0; j < k; j++) {
                int num = Math.min(prune[i][j], given.size());
                if (j == i || num <= 0) {
                    continue;
                }
                float[] margins = new float[given.size()];
                for (int m = 0; m < margins.length; m++) {
                    float[] p = pred[given.get(m)];
                    margins[m] = p[j] - p[i];
                }
                float[] sorted = margins.clone();
                Arrays.sort(sorted);
                float cut = sorted[sorted.length - num];
                for (int m = 0; m < margins.length; m++) {
                    if (margins[m] >= cut) {
                        mask[given.get(m)] = true;
                    }
                }
            }
        }
        return mask;
    }

    /** Copy of the calibrated joint where every diagonal cell is at least 1, row totals unchanged where possible. */
    static int[][] keepOnePerClass(int[][] calibrated) {
        int k = calibrated.length;
        int[][] out = new int[k][];
        for (int i = 0; i < k; i++) {
            out[i] = calibrated[i].clone();
            if (out[i][i] >= 1) {
                continue;
            }
            int largest = -1;
            for (int j = 0; j < k; j++) {
                if (j != i && out[i][j] > 0 && (largest < 0 || out[i][j] > out[i][largest])) {
                    largest = j;
                }
            }
            out[i][i] = 1;
            if (largest >= 0) {
                out[i][largest]--;
            }
        }
        return out;
    }
}
