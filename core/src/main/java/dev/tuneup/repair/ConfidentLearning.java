package dev.tuneup.repair;

import dev.tuneup.internal.Indices;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds label issues by confident learning (Northcutt, Jiang and Chuang, "Confident Learning: Estimating
 * Uncertainty in Dataset Labels", JAIR 70, 2021), following cleanlab's {@code filter.find_label_issues}.
 *
 * <p>Input: out-of-sample predicted probabilities (n x k, e.g. from cross-validation, never from a model
 * trained on the same examples) and the given labels. Steps: per-class thresholds and the calibrated
 * {@link ConfidentJoint}; the examples selected by the {@link Method}; then, as cleanlab does for every
 * method, any example whose most probable class equals its given label is dropped; the rest are ranked by
 * the {@link Ranking} score, ascending, ties by index.
 */
public final class ConfidentLearning {
    private ConfidentLearning() {}

    /** cleanlab's defaults: {@link Method#PRUNE_BY_NOISE_RATE}, ranked by {@link Ranking#SELF_CONFIDENCE}. */
    public static LabelIssues find(float[][] pred, int[] labels) {
        return find(pred, labels, Method.PRUNE_BY_NOISE_RATE, Ranking.SELF_CONFIDENCE);
    }

    /** Label issues of the given method, ranked most suspicious first. */
    public static LabelIssues find(float[][] pred, int[] labels, Method method, Ranking ranking) {
        ConfidentJoint cj = ConfidentJoint.of(pred, labels);
        boolean[] mask = mask(cj, pred, labels, method);
        List<Issue> issues = new ArrayList<>();
        for (int x = 0; x < mask.length; x++) {
            if (mask[x]) {
                int suggested = Indices.argmax(pred[x]);
                issues.add(new Issue(x, labels[x], suggested, ranking.score(pred[x], labels[x]), pred[x][suggested]));
            }
        }
        issues.sort(Comparator.comparingDouble(Issue::score).thenComparingInt(Issue::index));
        return new LabelIssues(issues, cj.thresholds(), cj.calibrated(), cj.noiseMatrix(), cj.estimatedNoise());
    }

    /** Which examples the method flags, after dropping those whose argmax equals the given label. */
    static boolean[] mask(ConfidentJoint cj, float[][] pred, int[] labels, Method method) {
        boolean[] mask;
        if (method == Method.PRUNE_BY_NOISE_RATE) {
            mask = NoiseRatePruning.select(pred, labels, cj.calibrated());
        } else {
            mask = new boolean[labels.length];
            int[] confident = cj.confidentClass();
            for (int x = 0; x < mask.length; x++) {
                mask[x] = confident[x] >= 0 && confident[x] != labels[x];
            }
        }
        for (int x = 0; x < mask.length; x++) {
            if (Indices.argmax(pred[x]) == labels[x]) {
                mask[x] = false;
            }
        }
        return mask;
    }
}
