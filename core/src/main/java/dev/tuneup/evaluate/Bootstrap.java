package dev.tuneup.evaluate;

/**
 * Percentile-bootstrap confidence intervals (Efron &amp; Tibshirani 1993): the examples are resampled
 * with replacement {@code samples} times from a {@link java.util.SplittableRandom} seeded with
 * {@code seed}, each metric is recomputed on every resample, and the interval runs between the
 * (1 - level)/2 and (1 + level)/2 quantiles (linear interpolation, numpy's default).
 * With {@code samples == 0} every interval is {@link Interval#NONE}.
 * <p>Note: ECE is biased upwards under resampling (noise widens the per-bin gaps), so for a
 * well-calibrated model its interval can lie entirely above the point estimate.
 */
public record Bootstrap(int samples, long seed, double level, Interval accuracy, Interval macroF1, Interval nll,
                        Interval ece) {
    /** The interval level used by {@link Evaluation#of}. */
    public static final double LEVEL = 0.95;
}
