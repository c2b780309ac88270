package dev.tuneup.evaluate;

/**
 * A confidence interval {@code [low, high]}; both NaN when none was computed (no bootstrap).
 */
public record Interval(double low, double high) {
    /** No interval: bootstrapping was switched off. */
    public static final Interval NONE = new Interval(Double.NaN, Double.NaN);

    /** Whether the interval was computed (false for {@link #NONE}). */
    public boolean present() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    /** Whether {@code value} lies within the interval, ends included. */
    public boolean contains(double value) {
        return present() && value >= low && value <= high;
    }
}
