package dev.tuneup.train;

import java.util.List;

/**
 * How a {@link FitLoop} ended.
 *
 * @param detail  the sentence users see, e.g. "completed 8 epochs" or "early stop: val_acc did not
 *                improve for 3 epochs"
 * @param history one row per finished epoch of the session (resumed epochs included)
 */
public record FitResult(StopReason reason, String detail, List<EpochMetrics> history) {
    public FitResult {
        history = List.copyOf(history);
    }

    /** Whether training ended before its last epoch for a reason that should end a multi-phase run too. */
    public boolean interrupted() {
        return reason == StopReason.DIVERGED || reason == StopReason.STOPPED;
    }

    @Override
    public String toString() {
        return detail;
    }
}
