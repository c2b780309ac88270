package dev.tuneup.augment;

import dev.tuneup.data.Image;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Learned and random augmentation policies, with torchvision's op sets and magnitude tables:
 * RandAugment (Cubuk et al., 2020), TrivialAugmentWide (Müller and Hutter, 2021), AutoAugment's
 * CIFAR-10 policy (Cubuk et al., 2019) and AugMix (Hendrycks et al., 2020).
 */
public final class Policies {
    private Policies() {
    }

    /** A policy whose parameters are the ops it chose; applying runs them in order. */
    interface ChoosingOp extends ImageOp<List<Choice>> {
        @Override
        default Image apply(Image im, List<Choice> choices) {
            return applyAll(im, choices);
        }
    }

    /** One op of a policy with its signed magnitude. */
    public record Choice(PolicyOp op, double magnitude) {
    }

    /** Magnitude tables of one op set, {@code bins} levels each (an empty table means no magnitude). */
    static double[] magnitudes(PolicyOp op, int bins, int h, int w, boolean wide) {
        return switch (op) {
            case SHEAR_X, SHEAR_Y -> PolicyOp.linspace(0, wide ? 0.99 : 0.3, bins);
            case TRANSLATE_X -> PolicyOp.linspace(0, wide ? 32 : 150.0 / 331.0 * w, bins);
            case TRANSLATE_Y -> PolicyOp.linspace(0, wide ? 32 : 150.0 / 331.0 * h, bins);
            case ROTATE -> PolicyOp.linspace(0, wide ? 135 : 30, bins);
            case BRIGHTNESS, COLOR, CONTRAST, SHARPNESS -> PolicyOp.linspace(0, wide ? 0.99 : 0.9, bins);
            case POSTERIZE -> PolicyOp.posterizeBits(8, wide ? 6 : 4, bins);
            case SOLARIZE -> PolicyOp.linspace(255, 0, bins);
            default -> new double[0];
        };
    }

    static final List<PolicyOp> RAND_OPS = List.of(PolicyOp.IDENTITY, PolicyOp.SHEAR_X, PolicyOp.SHEAR_Y,
            PolicyOp.TRANSLATE_X, PolicyOp.TRANSLATE_Y, PolicyOp.ROTATE, PolicyOp.BRIGHTNESS, PolicyOp.COLOR,
            PolicyOp.CONTRAST, PolicyOp.SHARPNESS, PolicyOp.POSTERIZE, PolicyOp.SOLARIZE, PolicyOp.AUTOCONTRAST,
            PolicyOp.EQUALIZE);

    static Image applyAll(Image im, List<Choice> choices) {
        Image out = im;
        for (Choice c : choices) {
            out = c.op().apply(out, c.magnitude());
        }
        return out;
    }

    static double sign(PolicyOp op, double m, SplittableRandom rng) {
        return op.signed() && rng.nextInt(2) == 1 ? -m : m;
    }

    /** {@code randaugment(n=2, m=9, bins=31)}: {@code n} ops drawn uniformly, each at magnitude level {@code m}. */
    public record RandAugment(int n, int m, int bins) implements ChoosingOp {
        public RandAugment {
            if (n < 1 || m < 0 || m >= bins) {
                throw new IllegalArgumentException("randaugment needs n >= 1 and 0 <= m < bins (" + bins + ")");
            }
        }

        @Override
        public List<Choice> sample(Image im, SplittableRandom rng) {
            List<Choice> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                PolicyOp op = RAND_OPS.get(rng.nextInt(RAND_OPS.size()));
                double[] mags = magnitudes(op, bins, im.height(), im.width(), false);
                out.add(new Choice(op, sign(op, mags.length == 0 ? 0 : mags[m], rng)));
            }
            return out;
        }

        @Override
        public String toString() {
            return "randaugment(n=" + n + ",m=" + m + (bins == 31 ? "" : ",bins=" + bins) + ")";
        }
    }

    /** {@code trivialaugment}: one op, one random magnitude level, on the wide ranges. */
    public record TrivialAugment(int bins) implements ChoosingOp {
        @Override
        public List<Choice> sample(Image im, SplittableRandom rng) {
            PolicyOp op = RAND_OPS.get(rng.nextInt(RAND_OPS.size()));
            double[] mags = magnitudes(op, bins, im.height(), im.width(), true);
            double m = mags.length == 0 ? 0 : mags[rng.nextInt(mags.length)];
            return List.of(new Choice(op, sign(op, m, rng)));
        }

        @Override
        public String toString() {
            return bins == 31 ? "trivialaugment" : "trivialaugment(bins=" + bins + ")";
        }
    }

    private record Sub(PolicyOp op, double p, int level) {
    }

    private static Sub[] pair(PolicyOp a, double pa, int la, PolicyOp b, double pb, int lb) {
        return new Sub[] {new Sub(a, pa, la), new Sub(b, pb, lb)};
    }

    private static final int NONE = -1;

    /** AutoAugment's 25 CIFAR-10 sub-policies, as torchvision lists them. */
    private static final Sub[][] CIFAR10 = {
        pair(PolicyOp.INVERT, 0.1, NONE, PolicyOp.CONTRAST, 0.2, 6),
        pair(PolicyOp.ROTATE, 0.7, 2, PolicyOp.TRANSLATE_X, 0.3, 9),
        pair(PolicyOp.SHARPNESS, 0.8, 1, PolicyOp.SHARPNESS, 0.9, 3),
        pair(PolicyOp.SHEAR_Y, 0.5, 8, PolicyOp.TRANSLATE_Y, 0.7, 9),
        pair(PolicyOp.AUTOCONTRAST, 0.5, NONE, PolicyOp.EQUALIZE, 0.9, NONE),
        pair(PolicyOp.SHEAR_Y, 0.2, 7, PolicyOp.POSTERIZE, 0.3, 7),
        pair(PolicyOp.COLOR, 0.4, 3, PolicyOp.BRIGHTNESS, 0.6, 7),
        pair(PolicyOp.SHARPNESS, 0.3, 9, PolicyOp.BRIGHTNESS, 0.7, 9),
        pair(PolicyOp.EQUALIZE, 0.6, NONE, PolicyOp.EQUALIZE, 0.5, NONE),
        pair(PolicyOp.CONTRAST, 0.6, 7, PolicyOp.SHARPNESS, 0.6, 5),
        pair(PolicyOp.COLOR, 0.7, 7, PolicyOp.TRANSLATE_X, 0.5, 8),
        pair(PolicyOp.EQUALIZE, 0.3, NONE, PolicyOp.AUTOCONTRAST, 0.4, NONE),
        pair(PolicyOp.TRANSLATE_Y, 0.4, 3, PolicyOp.SHARPNESS, 0.2, 6),
        pair(PolicyOp.BRIGHTNESS, 0.9, 6, PolicyOp.COLOR, 0.2, 8),
        pair(PolicyOp.SOLARIZE, 0.5, 2, PolicyOp.INVERT, 0.0, NONE),
        pair(PolicyOp.EQUALIZE, 0.2, NONE, PolicyOp.AUTOCONTRAST, 0.6, NONE),
        pair(PolicyOp.EQUALIZE, 0.2, NONE, PolicyOp.EQUALIZE, 0.6, NONE),
        pair(PolicyOp.COLOR, 0.9, 9, PolicyOp.EQUALIZE, 0.6, NONE),
        pair(PolicyOp.AUTOCONTRAST, 0.8, NONE, PolicyOp.SOLARIZE, 0.2, 8),
        pair(PolicyOp.BRIGHTNESS, 0.1, 3, PolicyOp.COLOR, 0.7, 0),
        pair(PolicyOp.SOLARIZE, 0.4, 5, PolicyOp.AUTOCONTRAST, 0.9, NONE),
        pair(PolicyOp.TRANSLATE_Y, 0.9, 9, PolicyOp.TRANSLATE_Y, 0.7, 9),
        pair(PolicyOp.AUTOCONTRAST, 0.9, NONE, PolicyOp.SOLARIZE, 0.2, 3),
        pair(PolicyOp.EQUALIZE, 0.8, NONE, PolicyOp.INVERT, 0.1, NONE),
        pair(PolicyOp.TRANSLATE_Y, 0.7, 9, PolicyOp.AUTOCONTRAST, 0.9, NONE),
    };

    /** {@code autoaugment(cifar10)}: one of the 25 sub-policies; each of its two ops fires with its probability. */
    public record AutoAugment(String policy) implements ChoosingOp {
        public AutoAugment {
            if (!policy.equals("cifar10")) {
                throw new IllegalArgumentException("autoaugment policy '" + policy + "' is not known; use cifar10");
            }
        }

        @Override
        public List<Choice> sample(Image im, SplittableRandom rng) {
            Sub[] sub = CIFAR10[rng.nextInt(CIFAR10.length)];
            List<Choice> out = new ArrayList<>(2);
            for (Sub s : sub) {
                double u = rng.nextDouble();
                boolean flip = rng.nextInt(2) == 0;
                if (u <= s.p) {
                    double[] mags = magnitudes(s.op, 10, im.height(), im.width(), false);
                    double m = s.level == NONE || mags.length == 0 ? 0 : mags[s.level];
                    out.add(new Choice(s.op, s.op.signed() && flip ? -m : m));
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "autoaugment(" + policy + ")";
        }
    }

    /** The chains and weights of one AugMix draw. */
    public record MixParams(double original, double[] weights, List<List<Choice>> chains) {
    }

    /**
     * {@code augmix(severity=3, width=3, depth=-1, alpha=1)}: {@code width} chains of 1-3 random ops
     * (or {@code depth}), mixed with Dirichlet weights, then blended with the original by a Beta
     * weight. The JSD consistency loss belongs to the training engine.
     */
    public record AugMix(int severity, int width, int depth, double alpha) implements ImageOp<MixParams> {
        private static final List<PolicyOp> OPS = List.of(PolicyOp.AUTOCONTRAST, PolicyOp.EQUALIZE,
                PolicyOp.POSTERIZE, PolicyOp.ROTATE, PolicyOp.SOLARIZE, PolicyOp.SHEAR_X, PolicyOp.SHEAR_Y,
                PolicyOp.TRANSLATE_X, PolicyOp.TRANSLATE_Y, PolicyOp.BRIGHTNESS, PolicyOp.COLOR, PolicyOp.CONTRAST,
                PolicyOp.SHARPNESS);

        public AugMix {
            if (severity < 1 || severity > 10 || width < 1 || alpha <= 0) {
                throw new IllegalArgumentException("augmix needs 1 <= severity <= 10, width >= 1, alpha > 0");
            }
        }

        private static double[] table(PolicyOp op, int h, int w) {
            return switch (op) {
                case TRANSLATE_X -> PolicyOp.linspace(0, w / 3.0, 10);
                case TRANSLATE_Y -> PolicyOp.linspace(0, h / 3.0, 10);
                case POSTERIZE -> PolicyOp.posterizeBits(4, 4, 10);
                default -> magnitudes(op, 10, h, w, false);
            };
        }

        @Override
        public MixParams sample(Image im, SplittableRandom rng) {
            double original = Filters.beta(alpha, alpha, rng);
            double[] weights = Filters.dirichlet(alpha, width, rng);
            List<List<Choice>> chains = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                int d = depth > 0 ? depth : 1 + rng.nextInt(3);
                List<Choice> chain = new ArrayList<>(d);
                for (int k = 0; k < d; k++) {
                    PolicyOp op = OPS.get(rng.nextInt(OPS.size()));
                    double[] mags = table(op, im.height(), im.width());
                    double m = mags.length == 0 ? 0 : mags[rng.nextInt(severity)];
                    chain.add(new Choice(op, sign(op, m, rng)));
                }
                chains.add(chain);
            }
            return new MixParams(original, weights, chains);
        }

        @Override
        public Image apply(Image im, MixParams p) {
            byte[] src = im.pixels();
            float[] mix = new float[src.length];
            for (int i = 0; i < src.length; i++) {
                mix[i] = (float) (p.original() * (src[i] & 0xFF));
            }
            for (int k = 0; k < p.chains().size(); k++) {
                byte[] aug = applyAll(im, p.chains().get(k)).pixels();
                float wk = (float) ((1 - p.original()) * p.weights()[k]);
                for (int i = 0; i < aug.length; i++) {
                    mix[i] += wk * (aug[i] & 0xFF);
                }
            }
            byte[] out = new byte[src.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) ColorFns.clampTrunc(mix[i]);
            }
            return new Image(im.height(), im.width(), im.channels(), out);
        }

        @Override
        public String toString() {
            return "augmix(severity=" + severity + ",width=" + width + ",depth=" + depth + ",alpha="
                    + AugmentSpec.num(alpha) + ")";
        }
    }
}
