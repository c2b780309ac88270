package dev.tuneup.evaluate;

import dev.tuneup.data.Image;
import java.util.SplittableRandom;

/**
 * Fog: a plasma fractal (diamond-square on a wrapping grid) added to the image, then rescaled so
 * the brightest value stays where it was, as in CIFAR-10-C.
 */
final class CorruptionFog {
    static final double[] STRENGTH = {0.2, 0.5, 0.75, 1, 1.5};
    static final double[] DECAY = {3, 3, 2.5, 2, 1.75};

    private CorruptionFog() {
    }

    static Image fog(Image im, int s, SplittableRandom rng) {
        int h = im.height();
        int w = im.width();
        int c = im.channels();
        int size = Integer.highestOneBit(Math.max(2, Math.max(h, w) - 1)) << 1;
        double[][] plasma = plasma(size, DECAY[s], rng);
        double a = STRENGTH[s];
        byte[] p = im.pixels();
        int max = 0;
        for (byte b : p) {
            max = Math.max(max, b & 0xFF);
        }
        double keep = (max / 255.0) / (max / 255.0 + a);
        byte[] out = new byte[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double add = a * plasma[y][x] * 255;
                for (int ch = 0; ch < c; ch++) {
                    int i = (y * w + x) * c + ch;
                    out[i] = CorruptionPixels.u8(((p[i] & 0xFF) + add) * keep);
                }
            }
        }
        return CorruptionPixels.with(im, out);
    }

    /**
     * A {@code size x size} (a power of two) fractal in [0, 1]: each halving of the step adds noise
     * whose amplitude shrinks by {@code decay^2}, so a smaller decay gives rougher fog.
     */
    static double[][] plasma(int size, double decay, SplittableRandom rng) {
        double[][] m = new double[size][size];
        double amp = 1;
        for (int step = size; step >= 2; step /= 2) {
            int half = step / 2;
            for (int y = 0; y < size; y += step) {
                for (int x = 0; x < size; x += step) {
                    double mean = (m[y][x] + m[y][(x + step) % size] + m[(y + step) % size][x]
                            + m[(y + step) % size][(x + step) % size]) / 4;
                    m[y + half][x + half] = mean + amp * rng.nextDouble(-1, 1);
                }
            }
            for (int y = 0; y < size; y += half) {
                for (int x = (y / half) % 2 == 0 ? half : 0; x < size; x += step) {
                    double mean = (m[y][Math.floorMod(x - half, size)] + m[y][(x + half) % size]
                            + m[Math.floorMod(y - half, size)][x] + m[(y + half) % size][x]) / 4;
                    m[y][x] = mean + amp * rng.nextDouble(-1, 1);
                }
            }
            amp /= decay * decay;
        }
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double[] row : m) {
            for (double v : row) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double range = hi > lo ? hi - lo : 1;
        for (double[] row : m) {
            for (int x = 0; x < size; x++) {
                row[x] = (row[x] - lo) / range;
            }
        }
        return m;
    }
}
