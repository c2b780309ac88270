package dev.tuneup.tune;

import java.util.List;

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter
 * Tuning", MLSys 2020; Optuna's {@code SuccessiveHalvingPruner}). Rung k sits at epoch
 * {@code minEpochs * eta^(minEarlyStoppingRate + k)} (1, 3, 9, ... with the defaults 1, 3, 0). When a
 * trial reaches a rung, its value there is compared with the values every trial recorded at that rung
 * so far (its own included): it goes on only if it is among the best {@code max(1, floor(n / eta))};
 * otherwise it is pruned. Nobody waits for a rung to fill, so the first trial to reach a rung always
 * goes on, and a trial judged early against few rivals may be promoted that a later judgement would
 * have stopped: the price of never idling a worker. A NaN value at a rung is pruned.
 */
public record AshaPruner(Objective objective, int minEpochs, int eta, int minEarlyStoppingRate) implements Pruner {
    public AshaPruner {
        if (minEpochs < 1 || eta < 2 || minEarlyStoppingRate < 0) {
            throw new IllegalArgumentException("ASHA needs minEpochs >= 1, eta >= 2, minEarlyStoppingRate >= 0; got "
                    + minEpochs + ", " + eta + ", " + minEarlyStoppingRate);
        }
    }

    public AshaPruner(Objective objective) {
        this(objective, 1, 3, 0);
    }

    @Override
    public boolean prune(Trial trial, List<Trial> all) {
        int epoch = trial.epochs();
        if (!isRung(epoch)) {
            return false;
        }
        double value = trial.intermediate().get(epoch - 1);
        if (Double.isNaN(value)) {
            return true;
        }
        int rivals = 0;
        int better = 0;
        boolean self = false;
        for (Trial t : all) {
            if (t.number() == trial.number()) {
                self = true;
                t = trial; // the caller's copy has the newest value
            }
            if (t.epochs() >= epoch) {
                rivals++;
                if (objective.better(t.intermediate().get(epoch - 1), value)) {
                    better++;
                }
            }
        }
        if (!self) {
            rivals++;
        }
        int promotable = Math.max(1, rivals / eta);
        return better >= promotable;
    }

    /** Whether a rung sits at {@code epoch} (1-based). */
    public boolean isRung(int epoch) {
        long r = (long) minEpochs * Math.round(Math.pow(eta, minEarlyStoppingRate));
        while (r < epoch) {
            r *= eta;
        }
        return r == epoch;
    }

    @Override
    public String toString() {
        return "asha(min_epochs=" + minEpochs + ",eta=" + eta + ",min_early_stopping_rate=" + minEarlyStoppingRate + ")";
    }
}
