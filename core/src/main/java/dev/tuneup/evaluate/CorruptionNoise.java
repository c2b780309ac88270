package dev.tuneup.evaluate;

import dev.tuneup.augment.Kernels;
import dev.tuneup.data.Image;
import java.util.SplittableRandom;

/** Noise corruptions: gaussian, shot (Poisson) and impulse (salt and pepper), per value. */
final class CorruptionNoise {
    static final double[] GAUSSIAN_STD = {0.04, 0.06, 0.08, 0.09, 0.10};
    static final double[] SHOT_PHOTONS = {500, 250, 100, 75, 50};
    static final double[] IMPULSE_AMOUNT = {0.01, 0.02, 0.03, 0.05, 0.07};

    private CorruptionNoise() {
    }

    static Image gaussian(Image im, int s, SplittableRandom rng) {
        double std = GAUSSIAN_STD[s] * 255;
        byte[] p = im.pixels();
        byte[] out = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = CorruptionPixels.u8((p[i] & 0xFF) + std * Kernels.gaussian(rng));
        }
        return CorruptionPixels.with(im, out);
    }

    static Image shot(Image im, int s, SplittableRandom rng) {
        double photons = SHOT_PHOTONS[s];
        byte[] p = im.pixels();
        byte[] out = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            double lambda = (p[i] & 0xFF) / 255.0 * photons;
            out[i] = CorruptionPixels.u8(poisson(lambda, rng) / photons * 255);
        }
        return CorruptionPixels.with(im, out);
    }

    static Image impulse(Image im, int s, SplittableRandom rng) {
        double amount = IMPULSE_AMOUNT[s];
        byte[] p = im.pixels();
        byte[] out = p.clone();
        for (int i = 0; i < p.length; i++) {
            if (rng.nextDouble() < amount) {
                out[i] = (byte) (rng.nextBoolean() ? 255 : 0);
            }
        }
        return CorruptionPixels.with(im, out);
    }

    /** A Poisson draw: exact (Knuth) below a mean of 30, the rounded normal approximation above. */
    static long poisson(double lambda, SplittableRandom rng) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda >= 30) {
            return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * Kernels.gaussian(rng)));
        }
        double limit = Math.exp(-lambda);
        double prod = rng.nextDouble();
        long k = 0;
        while (prod > limit) {
            prod *= rng.nextDouble();
            k++;
        }
        return k;
    }
}
