package dev.tuneup.repair;

import dev.tuneup.TuneupException;

/**
 * McNemar's test of two classifiers on the same test set, from the discordant pairs only: {@code broken}
 * (b, current right and candidate wrong) and {@code fixed} (c, current wrong and candidate right).
 *
 * <p>When {@code b + c < 25} the p-value is the exact two-sided binomial test of b successes in b + c trials
 * with probability 1/2, {@code min(1, 2 * P(X <= min(b, c)))} (what scipy's {@code binomtest} gives for
 * p = 1/2). Otherwise it is the chi-squared test with one degree of freedom and Edwards' continuity
 * correction, {@code (max(0, |b - c| - 1))^2 / (b + c)}; the {@code max(0, .)} makes the statistic 0, and
 * p = 1, when b and c differ by at most 1 (statsmodels leaves it at {@code 1 / (b + c)} for b = c).
 *
 * @param broken b
 * @param fixed  c
 * @param pValue two-sided p-value
 * @param exact  whether the exact binomial test was used
 */
public record McNemar(int broken, int fixed, double pValue, boolean exact) {
    /** Below this many discordant pairs the exact binomial test is used. */
    public static final int EXACT_BELOW = 25;

    /** Runs the test on the discordant counts. */
    public static McNemar test(int broken, int fixed) {
        if (broken < 0 || fixed < 0) {
            throw new TuneupException("McNemar counts must be non-negative, got broken=" + broken + " fixed=" + fixed,
                    "count the examples each model alone gets right");
        }
        int n = broken + fixed;
        if (n < EXACT_BELOW) {
            return new McNemar(broken, fixed, exactTwoSided(broken, fixed), true);
        }
        double d = Math.max(0, Math.abs(broken - fixed) - 1);
        return new McNemar(broken, fixed, chiSquaredOneDofSurvival(d * d / n), false);
    }

    /** Whether the candidate got more examples newly wrong than newly right. */
    public boolean candidateWorse() {
        return broken > fixed;
    }

    /** min(1, 2 * sum_{i <= min(b, c)} C(b + c, i) / 2^(b + c)); 1 when there are no discordant pairs. */
    static double exactTwoSided(int b, int c) {
        int n = b + c;
        double tail = 0;
        double binom = 1; // C(n, 0), exact in a double for the small n used here
        for (int i = 0; i <= Math.min(b, c); i++) {
            tail += binom;
            binom = binom * (n - i) / (i + 1);
        }
        return Math.min(1.0, 2.0 * tail / Math.pow(2, n));
    }

    /** P(chi^2_1 > s) = Q(1/2, s/2), the regularised upper incomplete gamma function. */
    static double chiSquaredOneDofSurvival(double s) {
        return s <= 0 ? 1.0 : upperGammaHalf(s / 2);
    }

    /** Q(1/2, x) by the series for x < 1.5 and Lentz's continued fraction otherwise (Numerical Recipes §6.2). */
    private static double upperGammaHalf(double x) {
        final double a = 0.5;
        final double lnGammaA = 0.5 * Math.log(Math.PI);
        double prefix = Math.exp(-x + a * Math.log(x) - lnGammaA);
        if (x < a + 1) {
            double term = 1 / a;
            double sum = term;
            for (int n = 1; n < 500; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * 1e-17) {
                    break;
                }
            }
            return Math.max(0, 1 - prefix * sum);
        }
        final double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 500; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < tiny ? tiny : d;
            c = b + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return prefix * h;
    }
}
