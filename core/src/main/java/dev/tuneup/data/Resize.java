package dev.tuneup.data;

/**
 * Resizing of uint8 HWC images with one interpolation: antialiased bilinear, i.e. a separable
 * triangle filter whose support widens with the shrink factor (the rule of PIL's {@code BILINEAR}
 * and torchvision's {@code Resize(antialias=True)}). Enlarging is plain bilinear interpolation;
 * shrinking averages every source pixel under the output pixel, so there is no aliasing.
 */
public final class Resize {
    private Resize() {
    }

    public static Image bilinear(Image src, int height, int width) {
        if (src.height() == height && src.width() == width) {
            return src;
        }
        return window(src, height, width, 0, 0, height, width);
    }

    /**
     * Rows {@code [top, top + h)} and columns {@code [left, left + w)} of {@code src} resized to
     * {@code fullHeight x fullWidth}: the same pixels as resizing the whole image and cropping, at the
     * cost of the window only (a centre crop of a long strip never builds the strip's full resize).
     */
    public static Image window(Image src, int fullHeight, int fullWidth, int top, int left, int h, int w) {
        if (top < 0 || left < 0 || h < 1 || w < 1 || top + h > fullHeight || left + w > fullWidth) {
            throw new IllegalArgumentException("window " + h + "x" + w + " at " + top + "," + left + " is outside "
                    + fullHeight + "x" + fullWidth);
        }
        int c = src.channels();
        Filter fx = new Filter(src.width(), fullWidth, left, w);
        Filter fy = new Filter(src.height(), fullHeight, top, h);
        int rowLo = fy.first[0];
        int rowHi = 0;
        for (int y = 0; y < h; y++) {
            rowHi = Math.max(rowHi, fy.first[y] + fy.count[y]);
        }
        int stride = w * c;
        float[] horizontal = new float[(rowHi - rowLo) * stride];
        for (int y = rowLo; y < rowHi; y++) {
            int rowIn = y * src.width() * c;
            int rowOut = (y - rowLo) * stride;
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    float acc = 0;
                    for (int k = 0; k < fx.count[x]; k++) {
                        acc += fx.weights[x][k] * (src.pixels()[rowIn + (fx.first[x] + k) * c + ch] & 0xFF);
                    }
                    horizontal[rowOut + x * c + ch] = acc;
                }
            }
        }
        byte[] out = new byte[h * stride];
        for (int y = 0; y < h; y++) {
            for (int i = 0; i < stride; i++) {
                float acc = 0;
                for (int k = 0; k < fy.count[y]; k++) {
                    acc += fy.weights[y][k] * horizontal[(fy.first[y] + k - rowLo) * stride + i];
                }
                out[y * stride + i] = (byte) Math.max(0, Math.min(255, Math.round(acc)));
            }
        }
        return new Image(h, w, c, out);
    }

    /** Per output position {@code from..from+n-1} of {@code out}: the first source index, the number of taps and their normalised weights. */
    private static final class Filter {
        final int[] first;
        final int[] count;
        final float[][] weights;

        Filter(int in, int out, int from, int n) {
            double scale = (double) in / out;
            double support = Math.max(scale, 1.0);
            first = new int[n];
            count = new int[n];
            weights = new float[n][];
            for (int j = 0; j < n; j++) {
                int o = from + j;
                double center = (o + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(center - support));
                int hi = Math.min(in, (int) Math.ceil(center + support));
                double[] w = new double[hi - lo];
                double sum = 0;
                for (int i = lo; i < hi; i++) {
                    double t = Math.abs((i + 0.5 - center) / support);
                    w[i - lo] = t < 1 ? 1 - t : 0;
                    sum += w[i - lo];
                }
                first[j] = lo;
                count[j] = hi - lo;
                weights[j] = new float[hi - lo];
                for (int k = 0; k < w.length; k++) {
                    weights[j][k] = (float) (w[k] / sum);
                }
            }
        }
    }
}
