package dev.tuneup.train;


/**
 * A metric to watch, whether smaller or larger is better, and by how much it must move to count
 * as better. Early stopping and best-checkpoint selection share one monitor.
 */
public record Monitor(String metric, Mode mode, double minDelta) {
    /** MIN: smaller is better (losses); MAX: larger is better (accuracies). */
    public enum Mode {
        MIN, MAX
    }

    public Monitor {
        if (!EpochMetrics.NAMES.contains(metric)) {
            throw new IllegalArgumentException("unknown metric '" + metric + "'; known: " + String.join(", ", EpochMetrics.NAMES));
        }
        if (minDelta < 0) {
            throw new IllegalArgumentException("min_delta must be >= 0, got " + minDelta);
        }
    }

    /** The value that any real value beats. */
    public double worst() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    public boolean improved(double value, double best) {
        if (Double.isNaN(value)) {
            return false;
        }
        return mode == Mode.MIN ? value < best - minDelta : value > best + minDelta;
    }

}
