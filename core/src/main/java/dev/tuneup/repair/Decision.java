package dev.tuneup.repair;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The regression gate's verdict on a candidate model, with the numbers it was based on. Built by
 * {@link RegressionGate#decide}; {@link #report()} renders it as text.
 *
 * @param accepted       whether the candidate may replace the current model
 * @param reasons        why: the failed checks when rejected, the passed checks when accepted
 * @param n              size of the test set
 * @param accuracyBefore accuracy of the current model
 * @param accuracyAfter  accuracy of the candidate
 * @param fixed          c: examples the current model gets wrong and the candidate right
 * @param broken         b: examples the current model gets right and the candidate wrong
 * @param pValue         McNemar's two-sided p-value for b against c
 * @param recallBefore   per class (by name, in class order) the current model's recall; classes with no
 *                       test examples are left out
 * @param recallDelta    per class, candidate recall minus current recall, same keys
 * @param targeted       the targeted metric, or {@code null} when none was required
 * @param alpha          significance level used
 * @param maxRecallDrop  largest allowed per-class recall drop used (the margin)
 * @param classCheck     how per-class drops were judged
 * @param classTests     with {@code TEST}, each class's drop test (in class order); empty otherwise
 */
public record Decision(boolean accepted, List<String> reasons, int n, double accuracyBefore, double accuracyAfter,
        int fixed, int broken, double pValue, Map<String, Double> recallBefore, Map<String, Double> recallDelta,
        TargetedMetric targeted, double alpha, double maxRecallDrop, RegressionGate.ClassCheck classCheck,
        List<ClassDrops.Drop> classTests) {
    public Decision {
        classTests = classTests == null ? List.of() : List.copyOf(classTests);
        reasons = List.copyOf(reasons);
        recallBefore = Collections.unmodifiableMap(new LinkedHashMap<>(recallBefore));
        recallDelta = Collections.unmodifiableMap(new LinkedHashMap<>(recallDelta));
    }

    /** Whether the p-value came from the exact binomial test (fewer than 25 discordant pairs). */
    public boolean exactTest() {
        return fixed + broken < McNemar.EXACT_BELOW;
    }

    /** Errors fixed, new errors, per-class recall deltas, the targeted metric and the verdict with its reasons. */
    public String report() {
        return GateReport.text(this);
    }
}
