package dev.tuneup.train;

import java.nio.file.Path;

/**
 * Hooks into the {@link FitLoop}, called in the order listeners were given; every method has a
 * no-op default. Payloads are records. A listener that wants the run to end calls
 * {@link TrainingSession#requestStop(String)}; nothing is signalled by exceptions. Early stopping and
 * best-epoch tracking are listeners too, run after the caller's.
 */
public interface FitListener {
    /** After each optimizer step (or skipped step). */
    record BatchEnd(int epoch, int batch, int batches, long step, double loss, double lr, boolean skipped) {
    }

    default void onEpochStart(int epoch, int batches, int firstBatch) {
    }

    default void onBatchEnd(BatchEnd batch) {
    }

    default void onEpochEnd(EpochMetrics metrics) {
    }

    default void onCheckpoint(Path folder, long step) {
    }

    default void onStop(String reason) {
    }
}
