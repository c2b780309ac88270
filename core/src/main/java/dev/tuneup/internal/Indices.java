package dev.tuneup.internal;

/** Index kernels shared by augmentation, evaluation, training, bundles and repair. */
public final class Indices {
    private Indices() {
    }

    /**
     * Index {@code i} reflected into {@code 0..n-1} without repeating the edge (numpy's and
     * torchvision's "reflect": for n = 4, -1 maps to 1 and 4 to 2), for any int {@code i}; 0 when
     * {@code n} is 1. Requires {@code n >= 1}.
     */
    public static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /**
     * Index of the largest value, like numpy's argmax: the first one on ties (-0.0 equals 0.0). A NaN
     * never wins, except that the result is 0 when {@code p[0]} is NaN (nothing compares greater); 0
     * for an empty array.
     */
    public static int argmax(float[] p) {
        return argmax(p, 0, p.length);
    }

    /** {@link #argmax(float[])} of {@code p[from .. from+length)}, as an index relative to {@code from}. */
    public static int argmax(float[] p, int from, int length) {
        int best = 0;
        for (int j = 1; j < length; j++) {
            if (p[from + j] > p[from + best]) {
                best = j;
            }
        }
        return best;
    }

    /** {@link #argmax(float[])} of every row. */
    public static int[] argmax(float[][] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = argmax(rows[i]);
        }
        return out;
    }
}
