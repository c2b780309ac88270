package dev.tuneup.evaluate;

import dev.tuneup.data.Image;
import dev.tuneup.internal.Indices;

/** Small pixel helpers the corruptions share: rounding to uint8, size scaling, 2-D convolution. */
final class CorruptionPixels {
    private CorruptionPixels() {
    }

    /** {@code v} rounded and clamped to 0..255. */
    static byte u8(double v) {
        return (byte) (v <= 0 ? 0 : v >= 255 ? 255 : (int) Math.rint(v));
    }

    /** How much spatial parameters (in pixels, tuned on 32x32) grow for this image: 1 up to 32 px. */
    static double spatial(Image im) {
        return Math.max(1, Math.min(im.height(), im.width()) / 32.0);
    }

    /** A copy of {@code im} with new pixels. */
    static Image with(Image im, byte[] pixels) {
        return new Image(im.height(), im.width(), im.channels(), pixels);
    }

    /** Convolves every channel with the square, odd-sized {@code kernel}; reflect borders. */
    static Image convolve(Image im, double[][] kernel) {
        int r = kernel.length / 2;
        int h = im.height();
        int w = im.width();
        int c = im.channels();
        byte[] p = im.pixels();
        byte[] out = new byte[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    double acc = 0;
                    for (int dy = -r; dy <= r; dy++) {
                        int row = Indices.reflect(y + dy, h) * w;
                        for (int dx = -r; dx <= r; dx++) {
                            double k = kernel[dy + r][dx + r];
                            if (k != 0) {
                                acc += k * (p[(row + Indices.reflect(x + dx, w)) * c + ch] & 0xFF);
                            }
                        }
                    }
                    out[(y * w + x) * c + ch] = u8(acc);
                }
            }
        }
        return with(im, out);
    }
}
