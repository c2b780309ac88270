package dev.tuneup.augment;

import dev.tuneup.data.Image;
import dev.tuneup.internal.Indices;
import java.util.SplittableRandom;

/** Convolution and random-number helpers shared by ops. */
final class Filters {
    private Filters() {
    }

    /** Separable gaussian blur with an odd {@code kernel} size and reflect borders (torchvision's GaussianBlur). */
    static Image gaussianBlur(Image im, int kernel, double sigma) {
        int r = kernel / 2;
        float[] k = new float[kernel];
        double sum = 0;
        for (int i = 0; i < kernel; i++) {
            double x = i - r;
            k[i] = (float) Math.exp(-0.5 * (x / sigma) * (x / sigma));
            sum += k[i];
        }
        for (int i = 0; i < kernel; i++) {
            k[i] /= (float) sum;
        }
        int h = im.height();
        int w = im.width();
        int c = im.channels();
        byte[] p = im.pixels();
        float[] tmp = new float[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    float acc = 0;
                    for (int i = 0; i < kernel; i++) {
                        acc += k[i] * (p[(y * w + Indices.reflect(x + i - r, w)) * c + ch] & 0xFF);
                    }
                    tmp[(y * w + x) * c + ch] = acc;
                }
            }
        }
        byte[] out = new byte[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    float acc = 0;
                    for (int i = 0; i < kernel; i++) {
                        acc += k[i] * tmp[(Indices.reflect(y + i - r, h) * w + x) * c + ch];
                    }
                    out[(y * w + x) * c + ch] = (byte) Math.max(0, Math.min(255, Math.round(acc)));
                }
            }
        }
        return new Image(h, w, c, out);
    }

    /** A standard normal draw (Box-Muller; one of the pair is discarded to keep the stream simple). */
    static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A Gamma(shape, 1) draw (Marsaglia and Tsang, 2000; shape < 1 boosted). */
    static double gamma(double shape, SplittableRandom rng) {
        if (shape < 1) {
            return gamma(shape + 1, rng) * Math.pow(rng.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian(rng);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** A Beta(a, b) draw. */
    static double beta(double a, double b, SplittableRandom rng) {
        double x = gamma(a, rng);
        double y = gamma(b, rng);
        return x / (x + y);
    }

    /** A Dirichlet draw with all {@code n} concentrations {@code alpha}. */
    static double[] dirichlet(double alpha, int n, SplittableRandom rng) {
        double[] g = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            g[i] = gamma(alpha, rng);
            sum += g[i];
        }
        for (int i = 0; i < n; i++) {
            g[i] /= sum;
        }
        return g;
    }
}
