package dev.tuneup.repair;

/**
 * Rounds each row of a non-negative real matrix to integers that keep the row's (rounded) total, by the
 * largest-remainder method: floor every cell, then give the missing units to the cells with the largest
 * fractional parts, the lower column first on ties. This is the job of cleanlab's
 * {@code round_preserving_row_totals}; cleanlab starts from round-half-even instead of the floor, so the two
 * can differ by one unit in a cell where fractional parts tie.
 */
final class RowRounding {
    private RowRounding() {}

    static int[][] preservingRowTotals(double[][] m) {
        int[][] out = new int[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = preservingSum(m[i]);
        }
        return out;
    }

    static int[] preservingSum(double[] row) {
        int k = row.length;
        int[] ints = new int[k];
        double total = 0;
        long floorSum = 0;
        for (int j = 0; j < k; j++) {
            total += row[j];
            ints[j] = (int) Math.floor(row[j]);
            floorSum += ints[j];
        }
        long missing = Math.round(total) - floorSum;
        boolean[] used = new boolean[k];
        for (long u = 0; u < missing; u++) {
            int best = -1;
            for (int j = 0; j < k; j++) {
                if (!used[j] && (best < 0 || row[j] - ints[j] > row[best] - ints[best])) {
                    best = j;
                }
            }
            used[best] = true;
            ints[best]++;
        }
        return ints;
    }
}
