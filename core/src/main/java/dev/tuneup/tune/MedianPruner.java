package dev.tuneup.tune;

import java.util.List;

/**
 * The median stopping rule (Golovin et al., Google Vizier 2017; Optuna's {@code MedianPruner}): after
 * epoch e, stop a trial whose best value so far is worse than the median of the completed trials'
 * values at epoch e. It waits until {@code startupTrials} trials have completed (default 5) and does
 * not prune within the first {@code warmupEpochs} (default 0). A NaN value is always pruned.
 */
public record MedianPruner(Objective objective, int startupTrials, int warmupEpochs) implements Pruner {
    public MedianPruner(Objective objective) {
        this(objective, 5, 0);
    }

    @Override
    public boolean prune(Trial trial, List<Trial> all) {
        int epoch = trial.epochs();
        if (epoch == 0 || epoch <= warmupEpochs) {
            return false;
        }
        List<Trial> completed = all.stream().filter(t -> t.state() == Trial.State.COMPLETE).toList();
        if (completed.size() < startupTrials) {
            return false;
        }
        double[] at = completed.stream().filter(t -> t.epochs() >= epoch).mapToDouble(t -> t.intermediate().get(epoch - 1))
                .filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (at.length == 0) {
            return false;
        }
        double best = objective.best(trial.intermediate());
        if (Double.isNaN(best)) {
            return true;
        }
        int n = at.length;
        double median = n % 2 == 1 ? at[n / 2] : 0.5 * (at[n / 2 - 1] + at[n / 2]);
        return objective.better(median, best);
    }

    @Override
    public String toString() {
        return "median(startup=" + startupTrials + ",warmup=" + warmupEpochs + ")";
    }
}
