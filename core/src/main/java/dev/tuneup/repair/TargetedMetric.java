package dev.tuneup.repair;

import dev.tuneup.TuneupException;

/**
 * The metric a repair set out to improve (e.g. mean corruption accuracy, or accuracy on a subset), measured
 * for the current model and the candidate; higher is better (pass the negative of a loss).
 *
 * @param name           what it measures, for the report
 * @param before         value for the current model
 * @param after          value for the candidate
 * @param minImprovement the least {@code after - before} that counts as an improvement (may be 0)
 */
public record TargetedMetric(String name, double before, double after, double minImprovement) {
    /** Slack for floating-point noise when comparing against {@link #minImprovement()}. */
    static final double EPS = 1e-12;

    public TargetedMetric {
        if (name == null || name.isBlank()) {
            throw new TuneupException("the targeted metric has no name", "name the metric the repair should improve");
        }
        if (!Double.isFinite(before) || !Double.isFinite(after) || !Double.isFinite(minImprovement)) {
            throw new TuneupException("targeted metric '" + name + "' has a non-finite value (before=" + before
                    + ", after=" + after + ", min improvement=" + minImprovement + ")",
                    "measure the metric on both models before gating");
        }
    }

    /** after - before. */
    public double improvement() {
        return after - before;
    }

    /** Whether the candidate improved the metric by at least the minimum. */
    public boolean met() {
        return improvement() >= minImprovement - EPS;
    }
}
