package dev.tuneup.monitor;

import dev.tuneup.bundle.Profile;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.special.Gamma;

/**
 * Compares live traffic with a model's validation {@link Profile}, from counts alone: how many
 * recent predictions went to each class and to each of the profile's confidence bins, and their
 * mean confidence. A server keeps those counts; this class holds no state.
 *
 * <p>Statistics: the population stability index {@code PSI = sum (a - e) ln(a / e)} of the class
 * shares and of the confidence-bin shares ({@code a} now, {@code e} on validation), with every share
 * below {@value #EPSILON} raised to it so an empty bin gives a large but finite term; the two-sample
 * Kolmogorov–Smirnov statistic {@code D}, the largest gap between the two binned confidence CDFs at
 * the bin edges, and its asymptotic p-value {@code Q(sqrt(m) D)} with the Kolmogorov distribution's
 * survival function {@code Q(x) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 x^2)} and the effective size
 * {@code m = n_ref n_now / (n_ref + n_now)}. Binning can only hide gaps, so {@code D} is a lower bound
 * of the unbinned statistic and the p-value an upper bound.
 *
 * <p>Levels follow the usual PSI rule of thumb (N. Siddiqi, <i>Credit Risk Scorecards</i>, Wiley
 * 2006): below {@value #PSI_MODERATE} no significant change, up to {@value #PSI_SHIFT} a moderate
 * change, above that a significant shift; the larger of the two PSIs decides. The rule of thumb assumes
 * large samples: with few predictions PSI is large by chance alone (under no drift, {@code PSI / (1/n +
 * 1/n_ref)} is approximately chi-squared with one degree of freedom fewer than the bins the reference
 * fills, as Pearson's statistic is). So a PSI counts only when that test rejects "no drift" at
 * {@value #SIGNIFICANCE}; a large PSI on a small sample is reported as within chance, with its p-value.
 *
 * @param reference the bundle's validation profile
 * @param classes   the bundle's class names, in output order
 * @param minimum   predictions needed before a level other than INSUFFICIENT, at least 1 ({@value #MINIMUM} by default)
 */
public record Drift(Profile reference, List<String> classes, int minimum) {
    public static final int MINIMUM = 100;
    public static final double EPSILON = 1e-4;
    public static final double PSI_MODERATE = 0.1;
    public static final double PSI_SHIFT = 0.25;
    public static final double SIGNIFICANCE = 0.01;

    /** How far traffic has moved from validation. */
    public enum Level {
        /** Fewer predictions than the minimum: no judgement yet. */
        INSUFFICIENT,
        /** Both PSIs below {@value Drift#PSI_MODERATE}. */
        STABLE,
        /** The larger PSI in [{@value Drift#PSI_MODERATE}, {@value Drift#PSI_SHIFT}). */
        MODERATE,
        /** The larger PSI at least {@value Drift#PSI_SHIFT}. */
        SHIFT
    }

    /**
     * Drift of {@code n} recent predictions; with {@code n == 0} every statistic is NaN.
     *
     * @param classPsi                PSI of the predicted-class shares
     * @param confidencePsi           PSI of the confidence-bin shares
     * @param classPsiPValue          p-value of {@code classPsi} under no drift (see the class comment)
     * @param confidencePsiPValue     the same for {@code confidencePsi}
     * @param ks                      binned two-sample Kolmogorov–Smirnov statistic of the confidence, in [0, 1]
     * @param ksPValue                its asymptotic p-value
     * @param meanConfidence          mean largest probability now
     * @param referenceMeanConfidence the same on validation
     * @param verdict                 one plain sentence for the user: the level, the class whose share moved most, the
     *                                direction of confidence, what to do
     */
    public record Report(long n, double classPsi, double confidencePsi, double classPsiPValue,
                         double confidencePsiPValue, double ks, double ksPValue, double meanConfidence,
                         double referenceMeanConfidence, Level level, String verdict) {
    }

    public Drift {
        classes = List.copyOf(classes);
        if (classes.size() != reference.classShare().length) {
            throw new IllegalArgumentException(classes.size() + " class names for a profile of "
                    + reference.classShare().length + " classes");
        }
        if (minimum < 1) {
            throw new IllegalArgumentException("the minimum number of predictions must be at least 1, got " + minimum);
        }
    }

    /** With the default minimum of {@value #MINIMUM} predictions. */
    public Drift(Profile reference, List<String> classes) {
        this(reference, classes, MINIMUM);
    }

    /**
     * The drift of recent traffic.
     *
     * @param predictedClassCounts predictions per class, in output order
     * @param confidenceBinCounts  predictions per confidence bin of the reference ({@link Profile#confidenceBin}); the
     *                             same total
     * @param meanConfidence       their mean largest probability, in [0, 1] (ignored when there are none)
     */
    public Report report(long[] predictedClassCounts, long[] confidenceBinCounts, double meanConfidence) {
        long n = total("predictedClassCounts", predictedClassCounts, reference.classShare().length, "class");
        long m = total("confidenceBinCounts", confidenceBinCounts, reference.confidenceShare().length,
                "confidence bin of the profile");
        if (n != m) {
            throw new IllegalArgumentException(n + " predictions by class but " + m + " by confidence bin; count each"
                    + " prediction once in both");
        }
        double ref = reference.meanConfidence();
        if (n == 0) {
            return new Report(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, ref,
                    Level.INSUFFICIENT,
                    insufficient(0));
        }
        if (!(meanConfidence >= 0 && meanConfidence <= 1)) {
            throw new IllegalArgumentException("the mean confidence must be in [0, 1], got " + meanConfidence);
        }
        double[] classNow = shares(predictedClassCounts, n);
        double[] binNow = shares(confidenceBinCounts, n);
        double classPsi = psi(classNow, reference.classShare());
        double confidencePsi = psi(binNow, reference.confidenceShare());
        double d = ks(binNow, reference.confidenceShare());
        double pValue = kolmogorovSurvival(Math.sqrt((double) reference.n() * n / (reference.n() + n)) * d);
        double scale = 1.0 / n + 1.0 / reference.n();
        double classP = chiSquaredSurvival(classPsi / scale, filled(reference.classShare()) - 1);
        double confidenceP = chiSquaredSurvival(confidencePsi / scale, filled(reference.confidenceShare()) - 1);
        double worst = Math.max(classP < SIGNIFICANCE ? classPsi : 0, confidenceP < SIGNIFICANCE ? confidencePsi : 0);
        Level level = n < minimum ? Level.INSUFFICIENT
                : worst < PSI_MODERATE ? Level.STABLE : worst < PSI_SHIFT ? Level.MODERATE : Level.SHIFT;
        String verdict = level == Level.INSUFFICIENT ? insufficient(n) : verdict(level, classNow, meanConfidence);
        double largest = Math.max(classPsi, confidencePsi);
        if (level == Level.STABLE && largest >= PSI_MODERATE) {
            verdict += String.format(Locale.ROOT, " PSI %.3f is within what chance gives over %d predictions (p %.2g);"
                    + " judge again with more traffic.", largest, n, classPsi >= confidencePsi ? classP : confidenceP);
        }
        return new Report(n, classPsi, confidencePsi, classP, confidenceP, d, pValue, meanConfidence, ref, level, verdict);
    }

    /** {@code sum (a - e) ln(a / e)} with shares below {@value #EPSILON} raised to it. */
    static double psi(double[] actual, double[] expected) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double a = Math.max(actual[i], EPSILON);
            double e = Math.max(expected[i], EPSILON);
            sum += (a - e) * Math.log(a / e);
        }
        return sum;
    }

    /** P(X > x) for X chi-squared with {@code df} degrees of freedom; 1 when there is nothing to compare. */
    static double chiSquaredSurvival(double x, int df) {
        if (df < 1 || !(x > 0)) {
            return Double.isNaN(x) ? Double.NaN : 1;
        }
        return Gamma.regularizedGammaQ(df / 2.0, x / 2.0);
    }

    private static int filled(double[] shares) {
        int k = 0;
        for (double s : shares) {
            k += s > 0 ? 1 : 0;
        }
        return k;
    }

    /** The largest gap between the cumulative sums of two share vectors. */
    static double ks(double[] a, double[] e) {
        double ca = 0;
        double ce = 0;
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            ca += a[i];
            ce += e[i];
            max = Math.max(max, Math.abs(ca - ce));
        }
        return max;
    }

    /** {@code Q(x) = P(K > x)} of the Kolmogorov distribution; below 0.2 it is 1 to double precision. */
    static double kolmogorovSurvival(double x) {
        if (x < 0.2) {
            return 1;
        }
        double sum = 0;
        for (int j = 1; j <= 100; j++) {
            double term = Math.exp(-2.0 * j * j * x * x);
            sum += (j % 2 == 1 ? term : -term);
            if (term < 1e-17) {
                break;
            }
        }
        return Math.max(0, Math.min(1, 2 * sum));
    }

    private String insufficient(long n) {
        return String.format(Locale.ROOT, "Not enough traffic to judge drift yet: %d predictions, %d needed.", n, minimum);
    }

    private String verdict(Level level, double[] now, double meanConfidence) {
        double[] ref = reference.classShare();
        int moved = 0;
        for (int j = 1; j < now.length; j++) {
            if (Math.abs(now[j] - ref[j]) > Math.abs(now[moved] - ref[moved])) {
                moved = j;
            }
        }
        String name = "'" + classes.get(moved) + "'";
        String shares = "(" + percent(now[moved]) + " vs " + percent(ref[moved]) + ")";
        String classPart;
        if (ref[moved] == 0) {
            classPart = "traffic is predicted " + name + " in " + percent(now[moved]) + " of images, never on validation";
        } else if (now[moved] == 0) {
            classPart = "traffic is never predicted " + name + " (" + percent(ref[moved]) + " on validation)";
        } else if (now[moved] >= ref[moved]) {
            classPart = String.format(Locale.ROOT, "traffic is predicted %s %.1fx as often as on validation %s", name,
                    now[moved] / ref[moved], shares);
        } else {
            classPart = String.format(Locale.ROOT, "traffic is predicted %s %.1fx less often than on validation %s", name,
                    ref[moved] / now[moved], shares);
        }
        double was = reference.meanConfidence();
        String confidence = Math.abs(meanConfidence - was) < 0.005
                ? String.format(Locale.ROOT, "confidence held at %.2f", meanConfidence)
                : String.format(Locale.ROOT, "confidence %s from %.2f to %.2f", meanConfidence > was ? "rose" : "fell", was,
                meanConfidence);
        return switch (level) {
            case STABLE -> "Stable: traffic looks like validation data (the largest class change is " + name + " "
                    + shares + ", " + confidence + ").";
            case MODERATE -> "Moderate drift: " + classPart + ", and " + confidence
                    + " — watch it, and collect some labels to check accuracy.";
            default -> "Shift: " + classPart + ", and " + confidence + " — check the inputs or collect labels and repair.";
        };
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, share > 0 && share < 0.01 ? "%.1f%%" : "%.0f%%", 100 * share);
    }

    private static long total(String name, long[] counts, int length, String per) {
        if (counts == null || counts.length != length) {
            throw new IllegalArgumentException(name + " must have " + length + " values, one per " + per);
        }
        long sum = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + c);
            }
            sum += c;
        }
        return sum;
    }

    private static double[] shares(long[] counts, long n) {
        double[] s = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            s[i] = (double) counts[i] / n;
        }
        return s;
    }
}
