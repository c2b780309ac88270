package dev.tuneup.repair;

/** The standard normal's tails, from the chi-squared survival function {@link McNemar} already computes. */
final class Normal {
    private Normal() {
    }

    /** P(Z > z). */
    static double sf(double z) {
        if (Double.isNaN(z)) {
            return Double.NaN;
        }
        double twoSided = McNemar.chiSquaredOneDofSurvival(z * z); // P(|Z| > |z|)
        return z >= 0 ? twoSided / 2 : 1 - twoSided / 2;
    }

    /** The z with P(Z > z) = p, for p in (0, 1), by bisection (to 1e-12). */
    static double isf(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("tail probability must be in (0, 1), got " + p);
        }
        double lo = -40;
        double hi = 40;
        for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
            double mid = (lo + hi) / 2;
            if (sf(mid) > p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
