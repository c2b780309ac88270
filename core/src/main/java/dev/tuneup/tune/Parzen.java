package dev.tuneup.tune;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A one-dimensional Parzen estimator on {@code [low, high]} as TPE uses it (Bergstra et al. 2011;
 * Optuna's univariate defaults): one Gaussian per observation plus a prior one centred in the range
 * with width {@code high - low}, all truncated to the range and of equal weight. An observation's width
 * is the larger distance to its neighbours when all centres are sorted (the outermost use their one
 * inner neighbour), clipped to {@code [(high - low) / min(100, k + 1), high - low]} for k components.
 */
final class Parzen {
    private static final double SQRT2 = Math.sqrt(2);
    private final double low;
    private final double high;
    private final double[] mus;
    private final double[] sigmas;
    private final double[] logMass; // log of each truncated component's mass inside [low, high]

    Parzen(double[] observations, double low, double high) {
        this.low = low;
        this.high = high;
        int n = observations.length + 1; // the observations and the prior
        mus = Arrays.copyOf(observations, n);
        mus[n - 1] = 0.5 * (low + high);
        sigmas = new double[n];
        double range = high - low;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(mus[a], mus[b]));
        double minSigma = range / Math.min(100, n + 1);
        for (int k = 0; k < n; k++) {
            double x = mus[order[k]];
            double left = k == 0 ? low : mus[order[k - 1]];
            double right = k == n - 1 ? high : mus[order[k + 1]];
            double sigma = Math.max(x - left, right - x);
            if (n >= 2 && k == 0) {
                sigma = right - x; // the range ends are not neighbours (Optuna's consider_endpoints=False)
            } else if (n >= 2 && k == n - 1) {
                sigma = x - left;
            }
            sigmas[order[k]] = Math.min(range, Math.max(minSigma, sigma));
        }
        sigmas[n - 1] = range;
        logMass = new double[n];
        for (int i = 0; i < n; i++) {
            logMass[i] = Math.log(Math.max(1e-300, phi((high - mus[i]) / sigmas[i]) - phi((low - mus[i]) / sigmas[i])));
        }
    }

    /** A draw: a component chosen uniformly, then its Gaussian truncated to the range (by rejection). */
    double sample(SplittableRandom rng) {
        int i = rng.nextInt(mus.length);
        for (int tries = 0; tries < 1000; tries++) {
            double x = mus[i] + sigmas[i] * gaussian(rng);
            if (x >= low && x <= high) {
                return x;
            }
        }
        return Math.min(high, Math.max(low, mus[i]));
    }

    /** The log density at {@code x} (log-sum-exp over components). */
    double logPdf(double x) {
        double[] terms = new double[mus.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < mus.length; i++) {
            double z = (x - mus[i]) / sigmas[i];
            terms[i] = -0.5 * z * z - Math.log(sigmas[i] * Math.sqrt(2 * Math.PI)) - logMass[i];
            max = Math.max(max, terms[i]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum) - Math.log(mus.length);
    }

    /** Standard normal CDF. */
    static double phi(double z) {
        return 0.5 * erfc(-z / SQRT2);
    }

    /** Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
                + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble(); // (0, 1]
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
