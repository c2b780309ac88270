package dev.tuneup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.tuneup.loader.Batch;
import java.util.Iterator;

/** Epoch bookkeeping for the {@link FitLoop}: training sums per batch, validation at the epoch's end. */
final class Validation {
    private Validation() {
    }

    /** Adds one trained batch to the epoch's running loss and accuracy (a strict top-1 hit, see {@link #rank}). */
    static void count(TrainingSession s, NDArray logits, Batch b, double loss) {
        int k = (int) logits.getShape().get(1);
        float[] out = logits.toFloatArray();
        int[] labels = b.labelValues();
        for (int i = 0; i < labels.length; i++) {
            s.pos.correct += rank(out, i * k, k, labels[i]) == 0 ? 1 : 0;
        }
        s.pos.lossSum += loss * b.size();
        s.pos.seen += b.size();
    }

    /**
     * How many classes stand at or above the true one in the row of {@code k} logits at {@code off}:
     * 0 means a top-1 hit. Ties count against the true class and a NaN logit beats everything, so
     * a model whose outputs are not numbers, or all equal, never scores (a NaN model once scored a
     * validation accuracy of 1.0 and was kept as the best).
     */
    static int rank(float[] logits, int off, int k, int label) {
        float mine = logits[off + label];
        if (!Float.isFinite(mine)) {
            return k;
        }
        int rank = 0;
        for (int j = 0; j < k; j++) {
            if (j != label && !(logits[off + j] < mine)) {
                rank++;
            }
        }
        return rank;
    }

    static void timing(TrainingSession s, long nanos, long waitNanos) {
        s.imagesPerSecond = s.pos.seen / (nanos / 1e9);
        s.dataWait = nanos == 0 ? 0 : (double) waitNanos / nanos;
    }

    /** The epoch's metrics: training sums so far, then a pass over the validation set. */
    static EpochMetrics endOfEpoch(TrainingSession s, double lr) {
        double valLoss = Double.NaN;
        double valAcc = Double.NaN;
        double valTop5 = Double.NaN;
        if (s.val != null) {
            Scores v = evaluate(s, s.val);
            valLoss = v.loss();
            valAcc = v.accuracy();
            valTop5 = v.top5();
        }
        double seen = Math.max(1, s.pos.seen);
        return new EpochMetrics(s.pos.epoch, s.pos.lossSum / seen, s.pos.correct / seen, valLoss, valAcc, valTop5, lr,
                s.imagesPerSecond, s.dataWait, s.pos.skipped);
    }

    /** Loss, top-1 and top-5 accuracy on the validation loader, in inference mode. */
    static Scores evaluate(TrainingSession s, dev.tuneup.loader.BatchLoader loader) {
        double loss = 0;
        long top1 = 0;
        long top5 = 0;
        long n = 0;
        Iterator<Batch> it = loader.epoch(0, s.manager);
        while (it.hasNext()) {
            try (Batch b = it.next(); NDManager scope = b.manager().newSubManager()) {
                NDArray logits = s.model.forward(new ParameterStore(scope, false), new NDList(b.data()), false)
                        .singletonOrThrow();
                loss += Losses.crossEntropy(logits, b.labels(), 0).getFloat() * b.size();
                int k = (int) logits.getShape().get(1);
                float[] out = logits.toFloatArray();
                int[] labels = b.labelValues();
                for (int i = 0; i < labels.length; i++) {
                    int rank = rank(out, i * k, k, labels[i]);
                    top1 += rank == 0 ? 1 : 0;
                    top5 += rank < 5 ? 1 : 0;
                }
                n += labels.length;
            }
        }
        return new Scores(loss / n, (double) top1 / n, (double) top5 / n);
    }
}
