package dev.tuneup.loader;

import java.util.Arrays;

/**
 * Per-channel {@code (x / 255 - mean) / std}, applied while converting uint8 to float. Folded into
 * a 256-entry lookup table per channel, so it costs nothing beyond the conversion itself.
 */
public record Normalization(float[] mean, float[] std) {
    public Normalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one value per channel");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Only scales to [0, 1]. */
    public static Normalization unit(int channels) {
        float[] m = new float[channels];
        float[] s = new float[channels];
        Arrays.fill(s, 1f);
        return new Normalization(m, s);
    }

    public static Normalization of(double[] mean, double[] std) {
        float[] m = new float[mean.length];
        float[] s = new float[std.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) mean[i];
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) std[i];
        }
        return new Normalization(m, s);
    }

    /**
     * From measured per-channel statistics. A constant channel has std 0; its std is raised to one
     * grey level (1/255) so it normalises to 0 instead of dividing by zero.
     */
    public static Normalization fromStats(double[] mean, double[] std) {
        double[] floored = new double[std.length];
        for (int i = 0; i < std.length; i++) {
            floored[i] = Math.max(std[i], 1 / 255.0);
        }
        return of(mean, floored);
    }

    public int channels() {
        return mean.length;
    }

    /** {@code table[c][v]} is the normalised value of byte {@code v} in channel {@code c}. */
    public float[][] table() {
        float[][] t = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int v = 0; v < 256; v++) {
                t[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
        return t;
    }
}
