package dev.tuneup.augment;

import dev.tuneup.data.Image;
import java.util.SplittableRandom;

/**
 * {@code erase(p=0.5, scale=(0.02,0.33), ratio=(0.3,3.3), value=0|random|mean)}: random erasing /
 * cutout (Zhong et al., 2020; torchvision's RandomErasing): a rectangle of random area fraction and
 * aspect ratio is filled with a constant, per-pixel random values, or the image's per-channel mean.
 */
public record Erase(double minScale, double maxScale, double minRatio, double maxRatio, Fill fill, int value)
        implements ImageOp<Erase.Box> {

    /** What fills the rectangle. */
    public enum Fill {
        CONSTANT, RANDOM, MEAN
    }

    /** The rectangle, and the seed of its random fill; {@code height == 0} means nothing fitted. */
    public record Box(int top, int left, int height, int width, long seed) {
    }

    @Override
    public Box sample(Image im, SplittableRandom rng) {
        int h = im.height();
        int w = im.width();
        double area = h * w;
        double logLo = Math.log(minRatio);
        double logHi = Math.log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * Geometric.uniform(rng, minScale, maxScale);
            double ratio = Math.exp(Geometric.uniform(rng, logLo, logHi));
            int eh = (int) Math.round(Math.sqrt(target * ratio));
            int ew = (int) Math.round(Math.sqrt(target / ratio));
            if (eh > 0 && ew > 0 && eh < h && ew < w) {
                return new Box(rng.nextInt(h - eh + 1), rng.nextInt(w - ew + 1), eh, ew, rng.nextLong());
            }
        }
        return new Box(0, 0, 0, 0, 0);
    }

    @Override
    public Image apply(Image im, Box b) {
        if (b.height() == 0) {
            return im;
        }
        int c = im.channels();
        int w = im.width();
        byte[] out = im.pixels().clone();
        int[] mean = new int[c];
        if (fill == Fill.MEAN) {
            long[] sum = new long[c];
            for (int i = 0; i < out.length; i++) {
                sum[i % c] += out[i] & 0xFF;
            }
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = (int) Math.round(sum[ch] / (double) (out.length / c));
            }
        }
        SplittableRandom noise = new SplittableRandom(b.seed());
        for (int y = b.top(); y < b.top() + b.height(); y++) {
            for (int x = b.left(); x < b.left() + b.width(); x++) {
                for (int ch = 0; ch < c; ch++) {
                    int v = switch (fill) {
                        case CONSTANT -> value;
                        case MEAN -> mean[ch];
                        case RANDOM -> noise.nextInt(256);
                    };
                    out[(y * w + x) * c + ch] = (byte) v;
                }
            }
        }
        return new Image(im.height(), w, c, out);
    }

    @Override
    public double defaultProbability() {
        return 0.5;
    }

    @Override
    public String toString() {
        String v = switch (fill) {
            case CONSTANT -> Integer.toString(value);
            case MEAN -> "mean";
            case RANDOM -> "random";
        };
        return "erase(scale=" + AugmentSpec.pair(minScale, maxScale) + ",ratio=" + AugmentSpec.pair(minRatio, maxRatio)
                + ",value=" + v + ")";
    }
}
