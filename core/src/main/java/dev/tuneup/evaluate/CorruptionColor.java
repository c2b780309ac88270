package dev.tuneup.evaluate;

import dev.tuneup.augment.Kernels;
import dev.tuneup.data.Image;

/** Colour corruptions: brightness (HSV value up), contrast, saturation and inversion. */
final class CorruptionColor {
    static final double[] BRIGHTNESS_ADD = {0.05, 0.1, 0.15, 0.2, 0.3};
    static final float[] CONTRAST_FACTOR = {0.75f, 0.5f, 0.4f, 0.3f, 0.15f};
    static final float[] SATURATE_FACTOR = {1.5f, 2f, 3f, 4f, 5f};

    private CorruptionColor() {
    }

    /**
     * CIFAR-10-C's brightness: add to the HSV value, keep hue and saturation. With both kept, the
     * RGB values scale by {@code v'/v}, so no HSV round trip is needed; black becomes gray {@code v'}.
     */
    static Image brightness(Image im, int s) {
        double add = BRIGHTNESS_ADD[s] * 255;
        int c = im.channels();
        byte[] p = im.pixels();
        byte[] out = new byte[p.length];
        for (int i = 0; i < p.length; i += c) {
            int v = 0;
            for (int ch = 0; ch < c; ch++) {
                v = Math.max(v, p[i + ch] & 0xFF);
            }
            double target = Math.min(255, v + add);
            for (int ch = 0; ch < c; ch++) {
                out[i + ch] = CorruptionPixels.u8(v == 0 ? target : (p[i + ch] & 0xFF) * target / v);
            }
        }
        return CorruptionPixels.with(im, out);
    }

    /** Blend with the mean gray value (torchvision's contrast; per-channel means in CIFAR-10-C). */
    static Image contrast(Image im, int s) {
        return Kernels.contrast(im, CONTRAST_FACTOR[s]);
    }

    /**
     * Blend away from each pixel's gray value (torchvision's saturation with factors above 1). Gray
     * images have no colour to saturate and come back unchanged.
     */
    static Image saturate(Image im, int s) {
        return Kernels.saturation(im, SATURATE_FACTOR[s]);
    }

    static Image invert(Image im) {
        return Kernels.invert(im);
    }
}
