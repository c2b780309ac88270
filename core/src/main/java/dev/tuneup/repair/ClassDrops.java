package dev.tuneup.repair;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether a candidate's recall of any class dropped by more than a margin, with statistical
 * footing: a raw threshold of 2 points sits inside binomial noise at a few hundred images per class.
 *
 * <p>Per class c with {@code n} examples, the paired predictions give {@code b} examples the current
 * model got right and the candidate wrong, and {@code f} the reverse; the recall drop is
 * {@code d = (b - f) / n}. Each class tests H0: {@code drop <= margin} against H1: {@code drop > margin}
 * with the paired-proportions Wald statistic {@code z = (d - margin) / se},
 * {@code se^2 = ((b + f) - (b - f)^2 / n) / n^2} (one-sided, upper tail), and the p-values of all
 * classes are corrected with Holm's step-down method. A class has regressed when its corrected
 * p-value is below {@code alpha}: the drop is larger than the margin beyond chance.
 *
 * <p>{@link #detectable} is the drop each class would have to show for the test to find it with 80%
 * power at level {@code alpha / classes} (Holm's strictest step), using the pooled discordance of
 * all classes: the smallest regression this selection set can see.
 */
public final class ClassDrops {
    /** Power the detectable drop is stated at. */
    public static final double POWER = 0.8;

    /** One class's test. */
    public record Drop(String name, int n, int broken, int fixed, double drop, double pValue, double adjusted,
                       boolean regressed, double detectable) {
    }

    private ClassDrops() {
    }

    /** Tests every class with examples; classes without any are left out. */
    public static List<Drop> test(int[] labels, int[] current, int[] candidate, List<String> classes, double margin,
                                  double alpha) {
        int k = classes.size();
        int[] n = new int[k];
        int[] b = new int[k];
        int[] f = new int[k];
        int discordant = 0;
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            boolean before = current[i] == c;
            boolean after = candidate[i] == c;
            n[c]++;
            b[c] += before && !after ? 1 : 0;
            f[c] += !before && after ? 1 : 0;
            discordant += before != after ? 1 : 0;
        }
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (n[c] > 0) {
                present.add(c);
            }
        }
        int m = present.size();
        double[] p = new double[m];
        for (int j = 0; j < m; j++) {
            int c = present.get(j);
            p[j] = pValue(n[c], b[c], f[c], margin);
        }
        double[] adjusted = holm(p);
        double rate = labels.length == 0 ? 0 : (double) discordant / labels.length;
        double zAlpha = Normal.isf(alpha / Math.max(1, m));
        double zPower = Normal.isf(1 - POWER);
        List<Drop> out = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            int c = present.get(j);
            double drop = (double) (b[c] - f[c]) / n[c];
            double detectable = margin + (zAlpha + zPower) * Math.sqrt(rate / n[c]);
            out.add(new Drop(classes.get(c), n[c], b[c], f[c], drop, p[j], adjusted[j], adjusted[j] < alpha,
                    detectable));
        }
        return out;
    }

    /** One-sided p-value of H0: drop <= margin for a class of {@code n} with {@code b} broken and {@code f} fixed. */
    static double pValue(int n, int b, int f, double margin) {
        double d = (double) (b - f) / n;
        double var = ((b + f) - (double) (b - f) * (b - f) / n) / ((double) n * n);
        if (var <= 0) {
            return d > margin ? 0 : 1;
        }
        return Normal.sf((d - margin) / Math.sqrt(var));
    }

    /** Holm's step-down adjusted p-values, in the order given (as statsmodels' {@code multipletests(method="holm")}). */
    static double[] holm(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(p[x], p[y]));
        double[] out = new double[m];
        double running = 0;
        for (int r = 0; r < m; r++) {
            running = Math.max(running, Math.min(1, (m - r) * p[order[r]]));
            out[order[r]] = running;
        }
        return out;
    }
}
