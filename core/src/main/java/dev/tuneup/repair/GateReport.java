package dev.tuneup.repair;

import java.util.Locale;
import java.util.Map;

/** Plain-text rendering of a {@link Decision}. */
final class GateReport {
    private GateReport() {}

    static String text(Decision d) {
        StringBuilder s = new StringBuilder();
        String verdict = d.accepted() ? "ACCEPTED" : "REJECTED";
        s.append("Regression gate: ").append(verdict).append(" (").append(d.n()).append(" held-out examples)\n");
        s.append(f("Accuracy: %.4f -> %.4f (%+.4f)%n", d.accuracyBefore(), d.accuracyAfter(),
                d.accuracyAfter() - d.accuracyBefore()));
        s.append(f("Errors fixed (current wrong, candidate right): %d%n", d.fixed()));
        s.append(f("New errors (current right, candidate wrong): %d%n", d.broken()));
        s.append(f("McNemar (%s): p = %.4g, alpha = %.3g%n",
                d.exactTest() ? "exact binomial" : "chi-squared, continuity-corrected", d.pValue(), d.alpha()));
        boolean tested = d.classCheck() == RegressionGate.ClassCheck.TEST;
        Map<String, ClassDrops.Drop> tests = new java.util.HashMap<>();
        d.classTests().forEach(t -> tests.put(t.name(), t));
        s.append(tested ? f("Per-class recall (a drop over %.3f must be beyond chance: one-sided tests, Holm, alpha %.3g;"
                + " smallest detectable drop about %.3f):%n", d.maxRecallDrop(), d.alpha(), d.classTests().stream()
                .mapToDouble(ClassDrops.Drop::detectable).min().orElse(Double.NaN))
                : f("Per-class recall (largest allowed drop %.3f):%n", d.maxRecallDrop()));
        int width = 5;
        for (String name : d.recallDelta().keySet()) {
            width = Math.max(width, name.length());
        }
        s.append(f("  %-" + width + "s  %7s  %7s  %8s%s%n", "class", "before", "after", "delta", tested ? "  p (Holm)" : ""));
        for (Map.Entry<String, Double> e : d.recallDelta().entrySet()) {
            double before = d.recallBefore().get(e.getKey());
            double delta = e.getValue();
            ClassDrops.Drop t = tests.get(e.getKey());
            boolean dropped = tested ? t != null && t.regressed() : -delta > d.maxRecallDrop() + TargetedMetric.EPS;
            s.append(f("  %-" + width + "s  %7.4f  %7.4f  %+8.4f%s%s%n", e.getKey(), before, before + delta, delta,
                    tested && t != null ? f("  %9.3g", t.adjusted()) : "", dropped ? "  drop too large" : ""));
        }
        TargetedMetric t = d.targeted();
        if (t != null) {
            s.append(f("Targeted metric '%s': %.4f -> %.4f (%+.4f, at least %+.4f required)%n", t.name(), t.before(),
                    t.after(), t.improvement(), t.minImprovement()));
        }
        s.append("Verdict: ").append(verdict).append('\n');
        for (String reason : d.reasons()) {
            s.append("  - ").append(reason).append('\n');
        }
        return s.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
