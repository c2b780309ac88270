package dev.tuneup.augment;

import dev.tuneup.data.Image;

/**
 * One colour jitter in as few pixel passes as possible, with the exact bytes of applying its
 * adjustments one after the other. Brightness and contrast map every byte through a table once their
 * factors (and, for contrast, the mean gray of its input) are known, so consecutive ones compose into
 * one table, which stays pending until a pass must read the pixels: contrast's mean is taken through
 * it, saturation and hue read through it, and the end applies it. One output array, written in place
 * after the first pass; the input is never written.
 */
final class FusedJitter {
    private FusedJitter() {
    }

    /** Applies the adjustments {@code order} lists (Property ordinals); a NaN factor skips its one. */
    static Image apply(Image im, int[] order, double[] factors) {
        int c = im.channels();
        byte[] px = im.pixels();
        boolean owned = false; // px is this call's own array
        byte[] lut = null; // pending table over px; null: none
        for (int k : order) {
            float f = (float) factors[k];
            if (Float.isNaN(f)) {
                continue;
            }
            switch (k) {
                case 0 -> lut = then(lut, ColorFns.blendTable(0f, f)); // brightness
                case 1 -> lut = then(lut, ColorFns.blendTable(ColorFns.meanLuma(px, c, lut), f)); // contrast
                case 2 -> { // saturation
                    if (c == 3) {
                        byte[] out = owned ? px : new byte[px.length];
                        ColorFns.saturate(px, lut, out, f);
                        px = out;
                        owned = true;
                        lut = null;
                    }
                }
                default -> { // hue
                    if (c == 3) {
                        Image mapped = new Image(im.height(), im.width(), c, px);
                        if (lut != null) {
                            mapped = ColorFns.lookup(mapped, lut);
                        }
                        px = ColorFns.hue(mapped, f).pixels();
                        owned = true;
                        lut = null;
                    }
                }
            }
        }
        if (lut != null) {
            byte[] out = owned ? px : new byte[px.length];
            ColorFns.lookup(px, lut, out);
            px = out;
        } else if (!owned) {
            return im;
        }
        return new Image(im.height(), im.width(), c, px);
    }

    /** {@code first} then {@code next}, as one table ({@code next} alone when there is no first). */
    private static byte[] then(byte[] first, byte[] next) {
        if (first == null) {
            return next;
        }
        byte[] t = new byte[256];
        for (int v = 0; v < 256; v++) {
            t[v] = next[first[v] & 0xFF];
        }
        return t;
    }
}
