package dev.tuneup.evaluate;

import dev.tuneup.augment.Kernels;
import dev.tuneup.data.Image;
import java.util.SplittableRandom;

/** Blur corruptions: defocus (an antialiased disk), gaussian, and motion (a one-sided streak). */
final class CorruptionBlur {
    static final double[] DEFOCUS_RADIUS = {0.3, 0.4, 0.5, 1, 1.5};
    static final double[] DEFOCUS_ALIAS = {0.4, 0.5, 0.6, 0.2, 0.1};
    static final double[] GAUSSIAN_SIGMA = {0.4, 0.6, 0.7, 0.8, 1.0};
    static final double[] MOTION_SIGMA = {1, 1.5, 2, 2.5, 3};
    static final double[] MOTION_RADIUS = {10, 10, 10, 10, 12};

    private CorruptionBlur() {
    }

    static Image defocus(Image im, int s) {
        double scale = CorruptionPixels.spatial(im);
        return CorruptionPixels.convolve(im, disk(DEFOCUS_RADIUS[s] * scale, DEFOCUS_ALIAS[s] * scale));
    }

    static Image gaussian(Image im, int s) {
        double sigma = GAUSSIAN_SIGMA[s] * CorruptionPixels.spatial(im);
        return Kernels.gaussianBlur(im, 2 * (int) Math.ceil(4 * sigma) + 1, sigma);
    }

    /**
     * ImageMagick's motion blur as CIFAR-10-C uses it: taps 0, 1, 2, ... pixels along the angle with
     * gaussian weights (one-sided, so the streak trails one way); borders repeat the edge.
     */
    static Image motion(Image im, int s, SplittableRandom rng) {
        double scale = CorruptionPixels.spatial(im);
        double sigma = MOTION_SIGMA[s] * scale;
        double angle = Math.toRadians(rng.nextDouble(-45, 45));
        int taps = (int) Math.min(Math.round(MOTION_RADIUS[s] * scale), Math.ceil(3 * sigma)) + 1;
        double[] weight = new double[taps];
        int[] dx = new int[taps];
        int[] dy = new int[taps];
        double sum = 0;
        for (int j = 0; j < taps; j++) {
            weight[j] = Math.exp(-0.5 * j * j / (sigma * sigma));
            sum += weight[j];
            dx[j] = (int) Math.round(j * Math.cos(angle));
            dy[j] = (int) Math.round(j * Math.sin(angle));
        }
        int h = im.height();
        int w = im.width();
        int c = im.channels();
        byte[] p = im.pixels();
        byte[] out = new byte[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    double acc = 0;
                    for (int j = 0; j < taps; j++) {
                        int yy = Math.max(0, Math.min(h - 1, y + dy[j]));
                        int xx = Math.max(0, Math.min(w - 1, x + dx[j]));
                        acc += weight[j] * (p[(yy * w + xx) * c + ch] & 0xFF);
                    }
                    out[(y * w + x) * c + ch] = CorruptionPixels.u8(acc / sum);
                }
            }
        }
        return CorruptionPixels.with(im, out);
    }

    /**
     * A disk of {@code radius} pixels, normalised, smoothed by a 3x3 gaussian of {@code alias} to
     * soften its aliased rim (as CIFAR-10-C builds its defocus kernel).
     */
    static double[][] disk(double radius, double alias) {
        int r = (int) Math.floor(radius) + 1;
        int n = 2 * r + 1;
        double[][] k = new double[n][n];
        for (int y = -r; y <= r; y++) {
            for (int x = -r; x <= r; x++) {
                k[y + r][x + r] = x * x + y * y <= radius * radius ? 1 : 0;
            }
        }
        double side = Math.exp(-0.5 / (alias * alias));
        double[] g = {side, 1, side};
        double[][] tmp = new double[n][n];
        double[][] out = new double[n][n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                for (int i = -1; i <= 1; i++) {
                    if (x + i >= 0 && x + i < n) {
                        tmp[y][x] += g[i + 1] * k[y][x + i];
                    }
                }
            }
        }
        double sum = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                for (int i = -1; i <= 1; i++) {
                    if (y + i >= 0 && y + i < n) {
                        out[y][x] += g[i + 1] * tmp[y + i][x];
                    }
                }
                sum += out[y][x];
            }
        }
        for (double[] row : out) {
            for (int x = 0; x < n; x++) {
                row[x] /= sum;
            }
        }
        return out;
    }
}
