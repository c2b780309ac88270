package dev.tuneup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.tuneup.loader.Batch;
import dev.tuneup.internal.Indices;
import java.util.Iterator;

/** Epoch bookkeeping for the {@link FitLoop}: training sums per batch, validation at the epoch's end. */
final class Validation {
    private Validation() {
    }

    /** Adds one trained batch to the epoch's running loss and accuracy (argmax against the labels). */
    static void count(TrainingSession s, NDArray logits, Batch b, double loss) {
        int[] predicted = argmax(logits.toFloatArray(), (int) logits.getShape().get(1), b.size());
        int[] labels = b.labelValues();
        for (int i = 0; i < labels.length; i++) {
            s.pos.correct += predicted[i] == labels[i] ? 1 : 0;
        }
        s.pos.lossSum += loss * b.size();
        s.pos.seen += b.size();
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
                    int rank = 0;
                    float mine = out[i * k + labels[i]];
                    for (int j = 0; j < k; j++) {
                        if (out[i * k + j] > mine) {
                            rank++;
                        }
                    }
                    top1 += rank == 0 ? 1 : 0;
                    top5 += rank < 5 ? 1 : 0;
                }
                n += labels.length;
            }
        }
        return new Scores(loss / n, (double) top1 / n, (double) top5 / n);
    }

    static int[] argmax(float[] logits, int k, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = Indices.argmax(logits, i * k, k);
        }
        return out;
    }
}
