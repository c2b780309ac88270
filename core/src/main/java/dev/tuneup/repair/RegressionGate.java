package dev.tuneup.repair;

import dev.tuneup.TuneupException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a repaired candidate replaces the current model, both predicting the same held-out test
 * set. The candidate is accepted only if all hold:
 * <ol>
 *   <li>it is not significantly less accurate: rejected when it breaks more examples than it fixes
 *       ({@code b > c}) and McNemar's p-value ({@link McNemar}) is below {@code alpha};</li>
 *   <li>no class's recall drops by more than {@code maxRecallDrop}: with {@link ClassCheck#TEST} (the
 *       configured default), no class's drop exceeds the margin beyond chance ({@link ClassDrops}: one-sided
 *       tests on the paired predictions, Holm-corrected at {@code alpha}); with {@link ClassCheck#FIXED}, no
 *       observed drop exceeds it (classes without examples are skipped);</li>
 *   <li>the targeted metric, when one is given, improves by at least its minimum.</li>
 * </ol>
 *
 * @param alpha         significance level of the McNemar test, in (0, 1); default 0.05
 * @param maxRecallDrop largest allowed per-class recall drop (the margin), in [0, 1]; default 0.02
 * @param classCheck    how per-class drops are judged
 */
public record RegressionGate(double alpha, double maxRecallDrop, ClassCheck classCheck) {
    /** TEST: a drop counts when it exceeds the margin beyond chance; FIXED: when the observed drop exceeds it. */
    public enum ClassCheck {
        TEST, FIXED
    }

    public static final double DEFAULT_ALPHA = 0.05;
    public static final double DEFAULT_MAX_RECALL_DROP = 0.02;

    public RegressionGate {
        if (classCheck == null) {
            throw new TuneupException("gate class check is missing", "use test or fixed");
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new TuneupException("gate alpha " + alpha + " is not in (0, 1)", "use a significance level such as 0.05");
        }
        if (!(maxRecallDrop >= 0 && maxRecallDrop <= 1)) {
            throw new TuneupException("gate max recall drop " + maxRecallDrop + " is not in [0, 1]",
                    "give the drop as a fraction, e.g. 0.02 for two points");
        }
    }

    /** The fixed-margin gate: an observed recall drop over {@code maxRecallDrop} rejects. */
    public RegressionGate(double alpha, double maxRecallDrop) {
        this(alpha, maxRecallDrop, ClassCheck.FIXED);
    }

    /** alpha = 0.05, max recall drop = 0.02, fixed margin. */
    public static RegressionGate defaults() {
        return new RegressionGate(DEFAULT_ALPHA, DEFAULT_MAX_RECALL_DROP);
    }

    /** Decides without a targeted metric. */
    public Decision decide(int[] labels, int[] current, int[] candidate, List<String> classes) {
        return decide(labels, current, candidate, classes, null);
    }

    /**
     * Decides from the test labels and both models' predicted classes (argmax).
     *
     * @param targeted the metric the repair must improve, or {@code null} for none
     */
    public Decision decide(int[] labels, int[] current, int[] candidate, List<String> classes, TargetedMetric targeted) {
        int k = check(labels, current, candidate, classes);
        int n = labels.length;
        int rightBefore = 0;
        int rightAfter = 0;
        int fixed = 0;
        int broken = 0;
        int[] support = new int[k];
        int[] hitBefore = new int[k];
        int[] hitAfter = new int[k];
        for (int x = 0; x < n; x++) {
            boolean a = current[x] == labels[x];
            boolean b = candidate[x] == labels[x];
            rightBefore += a ? 1 : 0;
            rightAfter += b ? 1 : 0;
            fixed += !a && b ? 1 : 0;
            broken += a && !b ? 1 : 0;
            support[labels[x]]++;
            hitBefore[labels[x]] += a ? 1 : 0;
            hitAfter[labels[x]] += b ? 1 : 0;
        }
        McNemar test = McNemar.test(broken, fixed);
        List<String> failed = new ArrayList<>();
        List<String> passed = new ArrayList<>();
        if (test.candidateWorse() && test.pValue() < alpha) {
            failed.add(f("candidate is significantly less accurate: %d new errors vs %d fixed (McNemar p = %.3g < %.3g)",
                    broken, fixed, test.pValue(), alpha));
        } else {
            passed.add(f("accuracy not significantly worse: %d fixed, %d new errors (McNemar p = %.3g)",
                    fixed, broken, test.pValue()));
        }
        Map<String, Double> recallBefore = new LinkedHashMap<>();
        Map<String, Double> recallDelta = new LinkedHashMap<>();
        List<ClassDrops.Drop> tests = classCheck == ClassCheck.TEST
                ? ClassDrops.test(labels, current, candidate, classes, maxRecallDrop, alpha) : List.of();
        int drops = 0;
        for (int c = 0; c < k; c++) {
            if (support[c] == 0) {
                continue;
            }
            double before = hitBefore[c] / (double) support[c];
            double after = hitAfter[c] / (double) support[c];
            recallBefore.put(classes.get(c), before);
            recallDelta.put(classes.get(c), after - before);
            if (classCheck == ClassCheck.FIXED && before - after > maxRecallDrop + TargetedMetric.EPS) {
                drops++;
                failed.add(f("recall of class '%s' dropped by %.4f (%.4f -> %.4f), more than the allowed %.4f",
                        classes.get(c), before - after, before, after, maxRecallDrop));
            }
        }
        for (ClassDrops.Drop t : tests) {
            if (t.regressed()) {
                drops++;
                failed.add(f("recall of class '%s' dropped by %.4f (%d new errors, %d fixed of %d), more than %.4f beyond"
                        + " chance (one-sided p = %.3g after Holm < %.3g)", t.name(), t.drop(), t.broken(), t.fixed(),
                        t.n(), maxRecallDrop, t.adjusted(), alpha));
            }
        }
        if (drops == 0) {
            passed.add(classCheck == ClassCheck.FIXED ? f("no class recall dropped by more than %.4f", maxRecallDrop)
                    : f("no class recall dropped by more than %.4f beyond chance (Holm-corrected one-sided tests at"
                    + " %.3g; the smallest drop these examples can show is about %.3f)", maxRecallDrop, alpha,
                    tests.stream().mapToDouble(ClassDrops.Drop::detectable).min().orElse(Double.NaN)));
        }
        if (targeted != null) {
            String line = f("targeted metric '%s' changed by %+.4f (%.4f -> %.4f), at least %+.4f required",
                    targeted.name(), targeted.improvement(), targeted.before(), targeted.after(), targeted.minImprovement());
            (targeted.met() ? passed : failed).add(line);
        }
        boolean accepted = failed.isEmpty();
        return new Decision(accepted, accepted ? passed : failed, n, rightBefore / (double) n, rightAfter / (double) n,
                fixed, broken, test.pValue(), recallBefore, recallDelta, targeted, alpha, maxRecallDrop, classCheck, tests);
    }

    private static int check(int[] labels, int[] current, int[] candidate, List<String> classes) {
        if (labels == null || current == null || candidate == null || labels.length == 0) {
            throw new TuneupException("the regression gate got no test predictions",
                    "predict the same held-out test set with the current and the candidate model");
        }
        if (current.length != labels.length || candidate.length != labels.length) {
            throw new TuneupException("the regression gate got " + labels.length + " labels, " + current.length
                    + " current and " + candidate.length + " candidate predictions",
                    "predict the same held-out test set, in the same order, with both models");
        }
        if (classes == null || classes.isEmpty() || new HashSet<>(classes).size() != classes.size()) {
            throw new TuneupException("the regression gate needs distinct class names, got " + classes,
                    "pass the model's class names in index order");
        }
        int k = classes.size();
        for (int[] a : new int[][] {labels, current, candidate}) {
            for (int x = 0; x < a.length; x++) {
                if (a[x] < 0 || a[x] >= k) {
                    String which = a == labels ? "label" : a == current ? "current prediction" : "candidate prediction";
                    throw new TuneupException(which + " " + a[x] + " of test example " + x + " is not a class index in [0, "
                            + k + ")", "pass class indices in the order of the " + k + " class names");
                }
            }
        }
        return k;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
