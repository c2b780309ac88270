package dev.tuneup.tune;

import java.util.Comparator;
import java.util.List;

/**
 * Which way the monitored validation metric is better, and the helpers every sampler and pruner
 * shares: a loss-like score (smaller is better, NaN worst) and the best value of a list.
 */
public record Objective(String metric, boolean maximize) {
    /** Smaller is better; NaN (a diverged or failed value) is worse than anything. */
    public double score(double value) {
        if (Double.isNaN(value)) {
            return Double.POSITIVE_INFINITY;
        }
        return maximize ? -value : value;
    }

    /** Whether {@code a} is strictly better than {@code b}. */
    public boolean better(double a, double b) {
        return score(a) < score(b);
    }

    /** The best of {@code values}, NaN if none is a number. */
    public double best(List<Double> values) {
        double best = Double.NaN;
        for (double v : values) {
            if (!Double.isNaN(v) && (Double.isNaN(best) || better(v, best))) {
                best = v;
            }
        }
        return best;
    }

    /**
     * The order TPE ranks finished trials in (Optuna's): complete trials by value, then pruned trials,
     * those that got further first, each group by value. Failed and running trials are left out.
     */
    public List<Trial> ranked(List<Trial> trials) {
        Comparator<Trial> order = Comparator.comparingInt((Trial t) -> t.state() == Trial.State.COMPLETE ? 0 : 1)
                .thenComparingInt(t -> t.state() == Trial.State.COMPLETE ? 0 : -t.epochs())
                .thenComparingDouble(t -> score(t.value()))
                .thenComparingInt(Trial::number);
        return trials.stream().filter(t -> t.state() == Trial.State.COMPLETE || t.state() == Trial.State.PRUNED)
                .sorted(order).toList();
    }
}
