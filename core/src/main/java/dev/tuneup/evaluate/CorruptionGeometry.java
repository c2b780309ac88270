package dev.tuneup.evaluate;

import dev.tuneup.augment.Kernels;
import dev.tuneup.data.Image;
import dev.tuneup.internal.Indices;
import java.util.SplittableRandom;

/**
 * Geometric corruptions (MNIST-C's affine ones and CIFAR-10-C's elastic transform). The affine ones
 * use the augment package's torchvision-matched warp (bilinear, about the centre) with a black fill;
 * each severity fixes the magnitude and the RNG picks only the direction (scale has none: it zooms
 * out), so the change grows with the severity.
 */
final class CorruptionGeometry {
    static final double[] ELASTIC_RMS = {0.5, 0.8, 1.1, 1.5, 2.0};
    static final double ELASTIC_SMOOTHNESS = 0.12;
    static final double[] ROTATE_DEGREES = {6, 12, 18, 24, 30};
    static final double[] SHEAR_DEGREES = {6, 12, 18, 24, 30};
    static final double[] SCALE_ZOOM = {1.1, 1.2, 1.3, 1.4, 1.5};
    static final double[] TRANSLATE_FRACTION = {0.04, 0.08, 0.12, 0.16, 0.2};

    private CorruptionGeometry() {
    }

    static Image rotate(Image im, int s, SplittableRandom rng) {
        return Kernels.affine(im, sign(rng) * ROTATE_DEGREES[s], 0, 0, 1, 0, 0, 0);
    }

    static Image shear(Image im, int s, SplittableRandom rng) {
        double deg = sign(rng) * SHEAR_DEGREES[s];
        return rng.nextBoolean() ? Kernels.affine(im, 0, 0, 0, 1, deg, 0, 0) : Kernels.affine(im, 0, 0, 0, 1, 0, deg, 0);
    }

    /** Zoom out (the content shrinks about the centre, a black border grows); no randomness. */
    static Image scale(Image im, int s) {
        return Kernels.affine(im, 0, 0, 0, 1 / SCALE_ZOOM[s], 0, 0, 0);
    }

    static Image translate(Image im, int s, SplittableRandom rng) {
        int d = Math.max(1, (int) Math.round(TRANSLATE_FRACTION[s] * Math.min(im.height(), im.width())));
        return Kernels.affine(im, 0, sign(rng) * d, sign(rng) * d, 1, 0, 0, 0);
    }

    /**
     * A smooth random displacement field (white noise blurred by a gaussian of 0.12 of the size),
     * scaled to the severity's RMS length; samples are bilinear and clamped to the image.
     */
    static Image elastic(Image im, int s, SplittableRandom rng) {
        int h = im.height();
        int w = im.width();
        double size = Math.min(h, w);
        double sigma = ELASTIC_SMOOTHNESS * size;
        double[] dx = smoothNoise(h, w, sigma, rng);
        double[] dy = smoothNoise(h, w, sigma, rng);
        double energy = 0;
        for (int i = 0; i < dx.length; i++) {
            energy += dx[i] * dx[i] + dy[i] * dy[i];
        }
        double rms = Math.sqrt(energy / dx.length);
        double k = rms == 0 ? 0 : ELASTIC_RMS[s] * size / 32 / rms;
        return Kernels.remap(im, 0, (x, y, out) -> {
            int i = y * w + x;
            out[0] = Math.max(0, Math.min(w - 1, x + k * dx[i]));
            out[1] = Math.max(0, Math.min(h - 1, y + k * dy[i]));
        });
    }

    /** Standard normal noise on an h x w grid, blurred separably by a gaussian of {@code sigma}, reflect borders. */
    static double[] smoothNoise(int h, int w, double sigma, SplittableRandom rng) {
        double[] noise = new double[h * w];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = Kernels.gaussian(rng);
        }
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] g = new double[2 * r + 1];
        for (int i = -r; i <= r; i++) {
            g[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
        }
        double[] tmp = new double[noise.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) {
                    acc += g[i + r] * noise[y * w + Indices.reflect(x + i, w)];
                }
                tmp[y * w + x] = acc;
            }
        }
        double[] out = new double[noise.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) {
                    acc += g[i + r] * tmp[Indices.reflect(y + i, h) * w + x];
                }
                out[y * w + x] = acc;
            }
        }
        return out;
    }

    private static int sign(SplittableRandom rng) {
        return rng.nextBoolean() ? 1 : -1;
    }
}
