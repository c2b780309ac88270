package dev.tuneup.augment;

import java.util.SplittableRandom;

/**
 * Batch mixing with soft targets, as timm's {@code Mixup} in batch mode: with probability
 * {@code probability} a batch is mixed; when both are enabled cutmix is chosen with probability
 * {@code switchProb}. Mixup (Zhang et al., 2018) blends each image with its mirror in the batch
 * ({@code k} with {@code n-1-k}) by {@code lam ~ Beta(a, a)}; cutmix (Yun et al., 2019) pastes a box
 * of area {@code 1-lam} from the mirror and corrects {@code lam} to the box actually pasted. Targets
 * become {@code lam * onehot(y_k) + (1-lam) * onehot(y_mirror)}.
 */
public record BatchMix(double mixupAlpha, double cutmixAlpha, double probability, double switchProb) {
    public BatchMix {
        if (probability == -1) {
            probability = 1; // the spec gave no p=
        }
        if (mixupAlpha < 0 || cutmixAlpha < 0 || probability < 0 || probability > 1 || switchProb < 0 || switchProb > 1) {
            throw new IllegalArgumentException("mix needs alphas >= 0 and probabilities in [0, 1]");
        }
        if (mixupAlpha == 0 && cutmixAlpha == 0) {
            throw new IllegalArgumentException("mix needs mixup > 0 or cutmix > 0");
        }
    }

    /** What one batch gets: {@code lam} and, for cutmix, the box (rows y0..y1, columns x0..x1, exclusive). */
    public record Draw(double lam, boolean cutmix, int y0, int y1, int x0, int x1) {
        static final Draw NONE = new Draw(1, false, 0, 0, 0, 0);
    }

    /** Draws the mixing of one batch of {@code h x w} images. */
    public Draw draw(int h, int w, SplittableRandom rng) {
        if (rng.nextDouble() >= probability) {
            return Draw.NONE;
        }
        boolean cut = mixupAlpha > 0 && cutmixAlpha > 0 ? rng.nextDouble() < switchProb : cutmixAlpha > 0;
        double alpha = cut ? cutmixAlpha : mixupAlpha;
        double lam = Filters.beta(alpha, alpha, rng);
        if (!cut) {
            return new Draw(lam, false, 0, 0, 0, 0);
        }
        double ratio = Math.sqrt(1 - lam);
        int ch = (int) (h * ratio);
        int cw = (int) (w * ratio);
        int cy = rng.nextInt(h);
        int cx = rng.nextInt(w);
        int y0 = clamp(cy - ch / 2, h);
        int y1 = clamp(cy + ch / 2, h);
        int x0 = clamp(cx - cw / 2, w);
        int x1 = clamp(cx + cw / 2, w);
        double corrected = 1 - (double) (y1 - y0) * (x1 - x0) / (h * w);
        return new Draw(corrected, true, y0, y1, x0, x1);
    }

    private static int clamp(int v, int n) {
        return Math.max(0, Math.min(n, v));
    }

    /**
     * Mixes a batch in place: {@code data} is {@code n} CHW float images of {@code c x h x w}; returns
     * the {@code n x classes} soft targets.
     */
    public static float[] apply(Draw d, float[] data, int n, int c, int h, int w, int[] labels, int classes) {
        float[] rows = new float[n * classes];
        for (int k = 0; k < n; k++) {
            rows[k * classes + labels[k]] = 1;
        }
        return apply(d, data, n, c, h, w, rows, classes);
    }

    /**
     * As above for rows that already have targets ({@code n x classes}, e.g. soft labels): row k's mixed
     * target is {@code lam * rows[k] + (1 - lam) * rows[n-1-k]}.
     */
    public static float[] apply(Draw d, float[] data, int n, int c, int h, int w, float[] rows, int classes) {
        int size = c * h * w;
        if (d.lam() < 1) {
            for (int k = 0; k < n / 2; k++) {
                int a = k * size;
                int b = (n - 1 - k) * size;
                if (d.cutmix()) {
                    for (int ch = 0; ch < c; ch++) {
                        for (int y = d.y0(); y < d.y1(); y++) {
                            for (int x = d.x0(); x < d.x1(); x++) {
                                int o = (ch * h + y) * w + x;
                                float t = data[a + o];
                                data[a + o] = data[b + o];
                                data[b + o] = t;
                            }
                        }
                    }
                } else {
                    float lam = (float) d.lam();
                    for (int i = 0; i < size; i++) {
                        float va = data[a + i];
                        float vb = data[b + i];
                        data[a + i] = lam * va + (1 - lam) * vb;
                        data[b + i] = lam * vb + (1 - lam) * va;
                    }
                }
            }
        }
        float[] targets = new float[n * classes];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < classes; j++) {
                targets[k * classes + j] += (float) d.lam() * rows[k * classes + j];
                targets[k * classes + j] += (float) (1 - d.lam()) * rows[(n - 1 - k) * classes + j];
            }
        }
        return targets;
    }

    @Override
    public String toString() {
        return "mix(mixup=" + AugmentSpec.num(mixupAlpha) + ",cutmix=" + AugmentSpec.num(cutmixAlpha)
                + ",switch=" + AugmentSpec.num(switchProb) + (probability == 1 ? "" : ",p=" + AugmentSpec.num(probability)) + ")";
    }
}
