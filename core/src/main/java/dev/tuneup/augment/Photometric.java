package dev.tuneup.augment;

import dev.tuneup.data.Image;
import java.util.SplittableRandom;

/** Photometric ops: colour jitter and its parts, fixed colour functions, blur, noise. */
public final class Photometric {
    private Photometric() {
    }

    /** One colour property that {@link Jitter} and {@link ColorJitter} vary. */
    public enum Property {
        BRIGHTNESS, CONTRAST, SATURATION, HUE;

        private static final Property[] ALL = values();

        Image adjust(Image im, float factor) {
            return switch (this) {
                case BRIGHTNESS -> ColorFns.brightness(im, factor);
                case CONTRAST -> ColorFns.contrast(im, factor);
                case SATURATION -> ColorFns.saturation(im, factor);
                case HUE -> ColorFns.hue(im, factor);
            };
        }

        /** Factor drawn for strength {@code s}: {@code [max(0, 1-s), 1+s]}, or {@code [-s, s]} for hue. */
        double draw(double s, SplittableRandom rng) {
            return this == HUE ? Geometric.uniform(rng, -s, s) : Geometric.uniform(rng, Math.max(0, 1 - s), 1 + s);
        }
    }

    /** {@code brightness(s)}, {@code contrast(s)}, {@code saturation(s)}, {@code hue(s)}: one property, random factor. */
    public record Jitter(Property property, double strength) implements ImageOp<Double> {
        @Override
        public Double sample(Image im, SplittableRandom rng) {
            return property.draw(strength, rng);
        }

        @Override
        public Image apply(Image im, Double factor) {
            return property.adjust(im, factor.floatValue());
        }

        @Override
        public String toString() {
            return AugmentSpec.word(property) + "(" + AugmentSpec.num(strength) + ")";
        }
    }

    /** The order and factors of one colour jitter. */
    public record JitterParams(int[] order, double[] factors) {
    }

    /**
     * {@code colorjitter(brightness=0, contrast=0, saturation=0, hue=0)}: torchvision's ColorJitter,
     * the four adjustments in a random order, each with its own random factor.
     */
    public record ColorJitter(double brightness, double contrast, double saturation, double hue)
            implements ImageOp<JitterParams> {
        @Override
        public JitterParams sample(Image im, SplittableRandom rng) {
            int[] order = {0, 1, 2, 3};
            dev.tuneup.data.Subsets.shuffle(order, rng);
            double[] strength = {brightness, contrast, saturation, hue};
            double[] f = new double[4];
            for (int k = 0; k < 4; k++) {
                f[k] = strength[k] == 0 ? Double.NaN : Property.ALL[k].draw(strength[k], rng);
            }
            return new JitterParams(order, f);
        }

        @Override
        public Image apply(Image im, JitterParams p) {
            return FusedJitter.apply(im, p.order(), p.factors());
        }

        @Override
        public String toString() {
            return "colorjitter(" + AugmentSpec.num(brightness) + "," + AugmentSpec.num(contrast) + ","
                    + AugmentSpec.num(saturation) + "," + AugmentSpec.num(hue) + ")";
        }
    }

    /** The deterministic colour functions. */
    public enum Fixed {
        GRAYSCALE, INVERT, POSTERIZE, SOLARIZE, EQUALIZE, AUTOCONTRAST, SHARPNESS
    }

    /**
     * {@code grayscale}, {@code invert}, {@code posterize(bits)}, {@code solarize(threshold)},
     * {@code equalize}, {@code autocontrast}, {@code sharpness(factor)}: deterministic; use the
     * step's {@code p=} to apply them at random.
     */
    public record FixedColor(Fixed function, double arg) implements FixedOp {
        @Override
        public Image apply(Image im) {
            return switch (function) {
                case GRAYSCALE -> ColorFns.grayscale(im);
                case INVERT -> ColorFns.invert(im);
                case POSTERIZE -> ColorFns.posterize(im, (int) arg);
                case SOLARIZE -> ColorFns.solarize(im, (float) arg);
                case EQUALIZE -> ColorFns.equalize(im);
                case AUTOCONTRAST -> ColorFns.autocontrast(im);
                case SHARPNESS -> ColorFns.sharpness(im, (float) arg);
            };
        }

        @Override
        public String toString() {
            boolean hasArg = function == Fixed.POSTERIZE || function == Fixed.SOLARIZE || function == Fixed.SHARPNESS;
            return AugmentSpec.word(function) + (hasArg ? "(" + AugmentSpec.num(arg) + ")" : "");
        }
    }

    /** {@code blur(kernel=3, sigma=(0.1,2))}: gaussian blur, sigma uniform in the range, reflect borders. */
    public record Blur(int kernel, double minSigma, double maxSigma) implements ImageOp<Double> {
        @Override
        public Double sample(Image im, SplittableRandom rng) {
            return Geometric.uniform(rng, minSigma, maxSigma);
        }

        @Override
        public Image apply(Image im, Double sigma) {
            return Filters.gaussianBlur(im, kernel, sigma);
        }

        @Override
        public boolean isRandom() {
            return minSigma != maxSigma;
        }

        @Override
        public String toString() {
            return "blur(" + kernel + ",sigma=" + AugmentSpec.pair(minSigma, maxSigma) + ")";
        }
    }

    /** {@code noise(std=0.05)}: additive gaussian noise, std as a fraction of 255; the parameter is the noise seed. */
    public record Noise(double std) implements ImageOp<Long> {
        @Override
        public Long sample(Image im, SplittableRandom rng) {
            return rng.nextLong();
        }

        @Override
        public Image apply(Image im, Long seed) {
            SplittableRandom noise = new SplittableRandom(seed);
            byte[] p = im.pixels();
            byte[] out = new byte[p.length];
            double scale = std * 255;
            for (int i = 0; i < p.length; i++) {
                out[i] = (byte) Math.max(0, Math.min(255, Math.rint((p[i] & 0xFF) + scale * Filters.gaussian(noise))));
            }
            return new Image(im.height(), im.width(), im.channels(), out);
        }

        @Override
        public String toString() {
            return "noise(" + AugmentSpec.num(std) + ")";
        }
    }
}
