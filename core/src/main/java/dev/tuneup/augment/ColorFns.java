package dev.tuneup.augment;

import dev.tuneup.data.Image;

/**
 * Photometric functions with torchvision's tensor semantics: computed in float, clamped to
 * [0, 255], truncated to uint8. Gray (1-channel) images pass through the colour-only ones.
 */
final class ColorFns {
    private ColorFns() {
    }

    static int clampTrunc(float v) {
        return v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
    }

    /** {@code factor * a + (1 - factor) * b}, per byte. */
    static Image blend(Image a, byte[] b, float factor) {
        byte[] pa = a.pixels();
        byte[] out = new byte[pa.length];
        for (int i = 0; i < pa.length; i++) {
            out[i] = (byte) clampTrunc(factor * (pa[i] & 0xFF) + (1 - factor) * (b[i] & 0xFF));
        }
        return new Image(a.height(), a.width(), a.channels(), out);
    }

    /** Blend with a constant: the same float arithmetic, folded into a 256-entry table. */
    static Image blend(Image a, float constant, float factor) {
        return lookup(a, blendTable(constant, factor));
    }

    /** {@code factor * v + (1 - factor) * constant} for every byte value v, clamped and truncated. */
    static byte[] blendTable(float constant, float factor) {
        byte[] lut = new byte[256];
        float add = (1 - factor) * constant;
        for (int v = 0; v < 256; v++) {
            lut[v] = (byte) clampTrunc(factor * v + add);
        }
        return lut;
    }

    /** Maps every byte through {@code lut}. */
    static Image lookup(Image a, byte[] lut) {
        byte[] out = new byte[a.pixels().length];
        lookup(a.pixels(), lut, out);
        return new Image(a.height(), a.width(), a.channels(), out);
    }

    /** {@code out[i] = lut[p[i]]}; {@code out} may be {@code p}. */
    static void lookup(byte[] p, byte[] lut, byte[] out) {
        for (int i = 0; i < p.length; i++) {
            out[i] = lut[p[i] & 0xFF];
        }
    }

    /** torchvision's gray: {@code 0.2989 R + 0.587 G + 0.114 B}, truncated; one value per pixel. */
    static byte[] luma(Image im) {
        int n = im.height() * im.width();
        byte[] p = im.pixels();
        byte[] g = new byte[n];
        if (im.channels() == 1) {
            System.arraycopy(p, 0, g, 0, n);
            return g;
        }
        for (int i = 0; i < n; i++) {
            g[i] = (byte) clampTrunc(0.2989f * (p[3 * i] & 0xFF) + 0.587f * (p[3 * i + 1] & 0xFF)
                    + 0.114f * (p[3 * i + 2] & 0xFF));
        }
        return g;
    }

    /** The gray image with the input's channel count. */
    static Image grayscale(Image im) {
        byte[] g = luma(im);
        if (im.channels() == 1) {
            return new Image(im.height(), im.width(), 1, g);
        }
        byte[] out = new byte[g.length * 3];
        for (int i = 0; i < g.length; i++) {
            out[3 * i] = g[i];
            out[3 * i + 1] = g[i];
            out[3 * i + 2] = g[i];
        }
        return new Image(im.height(), im.width(), 3, out);
    }

    static Image brightness(Image im, float factor) {
        return blend(im, 0f, factor);
    }

    static Image contrast(Image im, float factor) {
        return blend(im, meanLuma(im.pixels(), im.channels(), null), factor);
    }

    /** Blend each pixel with its own gray value (no gray image is built). */
    static Image saturation(Image im, float factor) {
        if (im.channels() == 1) {
            return im;
        }
        byte[] out = new byte[im.pixels().length];
        saturate(im.pixels(), null, out, factor);
        return new Image(im.height(), im.width(), 3, out);
    }

    /**
     * The weight tables of {@link #luma}: entry v holds the float product of the weight and {@code
     * lut[v]} (v itself when {@code lut} is null), so a table lookup gives the very value the
     * multiplication gives and the sum is formed in the same order.
     */
    private static float[][] lumaWeights(byte[] lut) {
        float[][] w = new float[3][256];
        for (int v = 0; v < 256; v++) {
            int x = lut == null ? v : lut[v] & 0xFF;
            w[0][v] = 0.2989f * x;
            w[1][v] = 0.587f * x;
            w[2][v] = 0.114f * x;
        }
        return w;
    }

    private static final float[][] LUMA = lumaWeights(null);

    /**
     * The mean gray value (as {@link #contrast} blends with) of the pixels {@code p} mapped through
     * {@code lut} (null: as they are), without building the mapped image or the gray one.
     */
    static float meanLuma(byte[] p, int channels, byte[] lut) {
        long sum = 0;
        if (channels == 1) {
            for (byte b : p) {
                sum += lut == null ? b & 0xFF : lut[b & 0xFF] & 0xFF;
            }
            return (float) ((double) sum / p.length);
        }
        float[][] w = lut == null ? LUMA : lumaWeights(lut);
        float[] wr = w[0];
        float[] wg = w[1];
        float[] wb = w[2];
        for (int i = 0; i < p.length; i += 3) {
            sum += (int) (wr[p[i] & 0xFF] + wg[p[i + 1] & 0xFF] + wb[p[i + 2] & 0xFF]); // in [0, 254]: no clamp
        }
        return (float) ((double) sum / (p.length / 3));
    }

    /**
     * Saturation of the RGB pixels {@code p} mapped through {@code lut} (null: as they are), written
     * to {@code out} (which may be {@code p}): {@code factor * v + (1 - factor) * gray} per channel.
     */
    static void saturate(byte[] p, byte[] lut, byte[] out, float factor) {
        float[][] w = lut == null ? LUMA : lumaWeights(lut);
        float[] wr = w[0];
        float[] wg = w[1];
        float[] wb = w[2];
        float keep = 1 - factor;
        float[] scaled = new float[256];
        float[] grayPart = new float[256];
        for (int v = 0; v < 256; v++) {
            scaled[v] = factor * (lut == null ? v : lut[v] & 0xFF);
            grayPart[v] = keep * v;
        }
        for (int i = 0; i < p.length; i += 3) {
            int r = p[i] & 0xFF;
            int g = p[i + 1] & 0xFF;
            int b = p[i + 2] & 0xFF;
            float gray = grayPart[(int) (wr[r] + wg[g] + wb[b])];
            out[i] = (byte) clampInt((int) (scaled[r] + gray));
            out[i + 1] = (byte) clampInt((int) (scaled[g] + gray));
            out[i + 2] = (byte) clampInt((int) (scaled[b] + gray));
        }
    }

    /** {@code clampInt((int) v)} equals {@link #clampTrunc}{@code (v)} for every float v. */
    private static int clampInt(int v) {
        return Math.min(Math.max(v, 0), 255);
    }

    /** Shift hue by {@code shift} turns (in [-0.5, 0.5]) through HSV, as torchvision does. */
    static Image hue(Image im, float shift) {
        if (im.channels() == 1) {
            return im;
        }
        byte[] p = im.pixels();
        byte[] out = new byte[p.length];
        for (int i = 0; i < p.length; i += 3) {
            float r = (p[i] & 0xFF) / 255f;
            float g = (p[i + 1] & 0xFF) / 255f;
            float b = (p[i + 2] & 0xFF) / 255f;
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float cr = max - min;
            float s = cr / (max == 0 ? 1 : max);
            float h = 0;
            if (cr > 0) {
                float rc = (max - r) / cr;
                float gc = (max - g) / cr;
                float bc = (max - b) / cr;
                if (max == r) {
                    h = bc - gc;
                } else if (max == g) {
                    h = 2 + rc - bc;
                } else {
                    h = 4 + gc - rc;
                }
                h = ((h / 6f) % 1f + 1f) % 1f;
            }
            h = ((h + shift) % 1f + 1f) % 1f;
            float v = max;
            int sector = (int) Math.floor(h * 6) % 6;
            float f = h * 6 - (float) Math.floor(h * 6);
            float pp = v * (1 - s);
            float q = v * (1 - s * f);
            float t = v * (1 - s * (1 - f));
            float[] rgb = switch (sector) {
                case 0 -> new float[] {v, t, pp};
                case 1 -> new float[] {q, v, pp};
                case 2 -> new float[] {pp, v, t};
                case 3 -> new float[] {pp, q, v};
                case 4 -> new float[] {t, pp, v};
                default -> new float[] {v, pp, q};
            };
            out[i] = (byte) clampTrunc(rgb[0] * 255f);
            out[i + 1] = (byte) clampTrunc(rgb[1] * 255f);
            out[i + 2] = (byte) clampTrunc(rgb[2] * 255f);
        }
        return new Image(im.height(), im.width(), 3, out);
    }

    static Image invert(Image im) {
        byte[] lut = new byte[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = (byte) (255 - v);
        }
        return lookup(im, lut);
    }

    /** Keep the top {@code bits} bits of each value. */
    static Image posterize(Image im, int bits) {
        int mask = -(1 << (8 - bits)) & 0xFF;
        byte[] p = im.pixels();
        byte[] out = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (byte) (p[i] & mask);
        }
        return new Image(im.height(), im.width(), im.channels(), out);
    }

    /** Invert values at or above {@code threshold}. */
    static Image solarize(Image im, float threshold) {
        byte[] p = im.pixels();
        byte[] out = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            int v = p[i] & 0xFF;
            out[i] = (byte) (v >= threshold ? 255 - v : v);
        }
        return new Image(im.height(), im.width(), im.channels(), out);
    }

    /** Per-channel histogram equalisation (PIL's {@code ImageOps.equalize}, as torchvision ports it). */
    static Image equalize(Image im) {
        int c = im.channels();
        byte[] p = im.pixels();
        byte[] out = p.clone();
        for (int ch = 0; ch < c; ch++) {
            int[] hist = new int[256];
            for (int i = ch; i < p.length; i += c) {
                hist[p[i] & 0xFF]++;
            }
            int last = 255;
            while (last > 0 && hist[last] == 0) {
                last--;
            }
            int total = p.length / c;
            int step = (total - hist[last]) / 255;
            if (step == 0) {
                continue;
            }
            int[] lut = new int[256];
            int cum = step / 2;
            for (int v = 0; v < 256; v++) {
                lut[v] = Math.min(255, cum / step);
                cum += hist[v];
            }
            for (int i = ch; i < p.length; i += c) {
                out[i] = (byte) lut[p[i] & 0xFF];
            }
        }
        return new Image(im.height(), im.width(), c, out);
    }

    /** Stretch each channel to the full range. */
    static Image autocontrast(Image im) {
        int c = im.channels();
        byte[] p = im.pixels();
        byte[] out = new byte[p.length];
        for (int ch = 0; ch < c; ch++) {
            int lo = 255;
            int hi = 0;
            for (int i = ch; i < p.length; i += c) {
                lo = Math.min(lo, p[i] & 0xFF);
                hi = Math.max(hi, p[i] & 0xFF);
            }
            float scale = hi == lo ? 1f : 255f / (hi - lo);
            int min = hi == lo ? 0 : lo;
            for (int i = ch; i < p.length; i += c) {
                out[i] = (byte) clampTrunc(((p[i] & 0xFF) - min) * scale);
            }
        }
        return new Image(im.height(), im.width(), c, out);
    }

    /** Blend with a 3x3 smoothed copy ({@code [1 1 1; 1 5 1; 1 1 1] / 13}, border kept). */
    static Image sharpness(Image im, float factor) {
        int h = im.height();
        int w = im.width();
        int c = im.channels();
        byte[] p = im.pixels();
        byte[] smooth = p.clone();
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                for (int ch = 0; ch < c; ch++) {
                    int sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            sum += (p[((y + dy) * w + x + dx) * c + ch] & 0xFF) * (dx == 0 && dy == 0 ? 5 : 1);
                        }
                    }
                    smooth[(y * w + x) * c + ch] = (byte) Math.round(sum / 13f);
                }
            }
        }
        return blend(im, smooth, factor);
    }
}
