package dev.tuneup.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders an {@link Evaluation} as an aligned plain-text report for a terminal: headline metrics with
 * their bootstrap intervals, the per-class table with macro and weighted averages, and the confusion
 * matrix (left out above {@link #MAX_CONFUSION_CLASSES} classes, where it no longer fits a screen).
 */
public final class EvaluationText {
    /** Largest class count whose confusion matrix is printed. */
    public static final int MAX_CONFUSION_CLASSES = 30;
    /** Class names are cut to this many characters in the confusion matrix's column headers. */
    static final int MAX_COLUMN_NAME = 12;

    private EvaluationText() {
    }

    /** The whole report, lines ending in '\n'. */
    public static String table(Evaluation e) {
        StringBuilder sb = new StringBuilder();
        headline(sb, e);
        sb.append('\n');
        perClass(sb, e);
        sb.append('\n');
        confusion(sb, e);
        return sb.toString();
    }

    private static void headline(StringBuilder sb, Evaluation e) {
        Bootstrap b = e.bootstrap();
        sb.append(e.n()).append(" examples, ").append(e.numClasses()).append(" classes\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(metric("accuracy", e.accuracy(), b.accuracy()));
        if (e.topK() > 1) {
            rows.add(metric("top-" + e.topK() + " accuracy", e.topKAccuracy(), Interval.NONE));
        }
        rows.add(metric("macro F1", e.macro().f1(), b.macroF1()));
        rows.add(metric("weighted F1", e.weighted().f1(), Interval.NONE));
        rows.add(metric("NLL", e.nll(), b.nll()));
        rows.add(metric("Brier", e.brier(), Interval.NONE));
        rows.add(metric("ECE (" + e.calibration().bins().size() + " bins)", e.calibration().ece(), b.ece()));
        rows.add(metric("MCE", e.calibration().mce(), Interval.NONE));
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        String ci = String.format(Locale.ROOT, "%.0f%% CI", b.level() * 100);
        for (String[] r : rows) {
            sb.append("  ").append(pad(r[0], width)).append("  ").append(r[1]);
            if (r[2] != null) {
                sb.append("   ").append(ci).append(' ').append(r[2]);
            }
            sb.append('\n');
        }
        sb.append(b.samples() == 0 ? "  (no bootstrap intervals)\n"
                : "  (percentile bootstrap: " + b.samples() + " resamples, seed " + b.seed() + ")\n");
    }

    private static String[] metric(String name, double value, Interval ci) {
        return new String[] {name, num(value), ci.present() ? "[" + num(ci.low()) + ", " + num(ci.high()) + "]" : null};
    }

    private static void perClass(StringBuilder sb, Evaluation e) {
        int width = "weighted avg".length();
        for (String c : e.classes()) {
            width = Math.max(width, c.length());
        }
        sb.append(pad("class", width)).append(String.format(Locale.ROOT, "  %9s  %9s  %9s  %7s",
                "precision", "recall", "f1", "support")).append('\n');
        for (ClassMetrics m : e.perClass()) {
            row(sb, m.name(), width, m.precision(), m.recall(), m.f1(), m.support());
        }
        row(sb, "macro avg", width, e.macro().precision(), e.macro().recall(), e.macro().f1(), e.n());
        row(sb, "weighted avg", width, e.weighted().precision(), e.weighted().recall(), e.weighted().f1(), e.n());
    }

    private static void row(StringBuilder sb, String name, int width, double p, double r, double f, int support) {
        sb.append(pad(name, width)).append(String.format(Locale.ROOT, "  %9s  %9s  %9s  %7d", num(p), num(r), num(f),
                support)).append('\n');
    }

    private static void confusion(StringBuilder sb, Evaluation e) {
        int k = e.numClasses();
        if (k > MAX_CONFUSION_CLASSES) {
            sb.append("confusion matrix left out (").append(k).append(" classes); see the JSON or the plot\n");
            return;
        }
        ConfusionMatrix m = e.confusion();
        String corner = "true \\ predicted";
        int rowWidth = corner.length();
        for (String c : e.classes()) {
            rowWidth = Math.max(rowWidth, c.length());
        }
        String[] headers = new String[k];
        int[] widths = new int[k];
        for (int p = 0; p < k; p++) {
            headers[p] = cut(e.classes().get(p));
            widths[p] = headers[p].length();
            for (int t = 0; t < k; t++) {
                widths[p] = Math.max(widths[p], Integer.toString(m.count(t, p)).length());
            }
        }
        sb.append("confusion matrix (rows: true class, columns: predicted class)\n");
        sb.append(pad(corner, rowWidth));
        for (int p = 0; p < k; p++) {
            sb.append("  ").append(padLeft(headers[p], widths[p]));
        }
        sb.append('\n');
        for (int t = 0; t < k; t++) {
            sb.append(pad(e.classes().get(t), rowWidth));
            for (int p = 0; p < k; p++) {
                sb.append("  ").append(padLeft(Integer.toString(m.count(t, p)), widths[p]));
            }
            sb.append('\n');
        }
    }

    private static String cut(String name) {
        return name.length() <= MAX_COLUMN_NAME ? name : name.substring(0, MAX_COLUMN_NAME - 1) + "~";
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }
}
