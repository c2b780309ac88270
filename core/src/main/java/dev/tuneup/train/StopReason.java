package dev.tuneup.train;

/** Why a {@link FitLoop} ended. */
public enum StopReason {
    /** Every epoch ran. */
    COMPLETED,
    /** The monitored metric did not improve for {@code training.patience} epochs. */
    EARLY_STOP,
    /** A non-finite loss or gradient norm with {@code training.divergence: stop}; nothing was checkpointed from it. */
    DIVERGED,
    /** Asked to stop ({@link TrainingSession#requestStop}, e.g. SIGTERM); a checkpoint was written. */
    STOPPED
}
