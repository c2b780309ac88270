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
        int c = src.channels();
        float[] horizontal = new float[src.height() * width * c];
        Filter fx = new Filter(src.width(), width);
        for (int y = 0; y < src.height(); y++) {
            int rowIn = y * src.width() * c;
            int rowOut = y * width * c;
            for (int x = 0; x < width; x++) {
                for (int ch = 0; ch < c; ch++) {
                    float acc = 0;
                    for (int k = 0; k < fx.count[x]; k++) {
                        acc += fx.weights[x][k] * (src.pixels()[rowIn + (fx.first[x] + k) * c + ch] & 0xFF);
                    }
                    horizontal[rowOut + x * c + ch] = acc;
                }
            }
        }
        byte[] out = new byte[height * width * c];
        Filter fy = new Filter(src.height(), height);
        int stride = width * c;
        for (int y = 0; y < height; y++) {
            for (int i = 0; i < stride; i++) {
                float acc = 0;
                for (int k = 0; k < fy.count[y]; k++) {
                    acc += fy.weights[y][k] * horizontal[(fy.first[y] + k) * stride + i];
                }
                out[y * stride + i] = (byte) Math.max(0, Math.min(255, Math.round(acc)));
            }
        }
        return new Image(height, width, c, out);
    }

    /** Per output position: the first source index, the number of taps and their normalised weights. */
    private static final class Filter {
        final int[] first;
        final int[] count;
        final float[][] weights;

        Filter(int in, int out) {
            double scale = (double) in / out;
            double support = Math.max(scale, 1.0);
            first = new int[out];
            count = new int[out];
            weights = new float[out][];
            for (int o = 0; o < out; o++) {
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
                first[o] = lo;
                count[o] = hi - lo;
                weights[o] = new float[hi - lo];
                for (int k = 0; k < w.length; k++) {
                    weights[o][k] = (float) (w[k] / sum);
                }
            }
        }
    }
}
