package dev.tuneup.train;

/**
 * How to train, as one immutable value (the {@code training} section of a run config).
 *
 * @param epochs          passes over the training set
 * @param seed            seeds shuffling, augmentation and dropout
 * @param labelSmoothing  0 for plain cross-entropy
 * @param l1              L1 penalty on weights (0 = off)
 * @param clipNorm        clip gradients to this global norm (0 = off, the norm is still measured)
 * @param divergence      what a NaN/Inf loss or gradient norm does
 * @param monitor         the metric early stopping and "best" checkpoints watch
 * @param patience        epochs without improvement before stopping (0 = never stop early)
 * @param restoreBest     put the best weights back at the end
 * @param checkpointEvery also checkpoint every this many steps (0 = at epoch ends only)
 * @param keepCheckpoints newest checkpoints kept
 * @param keepBest        the best checkpoints by the monitored metric kept as well (top-N)
 * @param noiseMatrix     null, or the labels' noise matrix {@code P(given = i | true = j)} indexed [given][true]
 *                        (columns sum to 1) for forward loss correction ({@link Losses#forwardLogProbs}); not
 *                        part of a run config: {@code tuneup label-issues --fix forward} sets it from its estimate
 */
public record TrainConfig(int epochs, long seed, double labelSmoothing, double l1, double clipNorm,
                          Divergence divergence, Monitor monitor, int patience, boolean restoreBest,
                          long checkpointEvery, int keepCheckpoints, int keepBest, double[][] noiseMatrix) {
    /** STOP ends the run at the first non-finite step; SKIP drops that step and goes on. */
    public enum Divergence {
        STOP, SKIP
    }

    public TrainConfig {
        if (epochs < 1 || labelSmoothing < 0 || labelSmoothing >= 1 || l1 < 0 || clipNorm < 0 || patience < 0
                || checkpointEvery < 0 || keepCheckpoints < 1 || keepBest < 1) {
            throw new IllegalArgumentException("training: epochs >= 1, 0 <= label_smoothing < 1, l1 >= 0,"
                    + " clip_norm >= 0, patience >= 0, checkpoint_every >= 0, keep_checkpoints >= 1, keep_best >= 1");
        }
        if (noiseMatrix != null) {
            noiseMatrix = checkedNoiseMatrix(noiseMatrix);
        }
    }

    /** Without loss correction. */
    public TrainConfig(int epochs, long seed, double labelSmoothing, double l1, double clipNorm, Divergence divergence,
                       Monitor monitor, int patience, boolean restoreBest, long checkpointEvery, int keepCheckpoints,
                       int keepBest) {
        this(epochs, seed, labelSmoothing, l1, clipNorm, divergence, monitor, patience, restoreBest, checkpointEvery,
                keepCheckpoints, keepBest, null);
    }

    public static TrainConfig defaults(int epochs, long seed) {
        return new TrainConfig(epochs, seed, 0, 0, 0, Divergence.STOP, new Monitor("val_acc", Monitor.Mode.MAX, 0),
                0, false, 0, 2, 1);
    }

    public TrainConfig withEpochs(int n) {
        return new TrainConfig(n, seed, labelSmoothing, l1, clipNorm, divergence, monitor, patience, restoreBest,
                checkpointEvery, keepCheckpoints, keepBest, noiseMatrix);
    }

    /** A fine-tuning phase's config: its own epochs, seed and best-restoring, everything else as here. */
    public TrainConfig forPhase(int n, long phaseSeed, boolean restore) {
        return new TrainConfig(n, phaseSeed, labelSmoothing, l1, clipNorm, divergence, monitor, patience, restore,
                checkpointEvery, keepCheckpoints, keepBest, noiseMatrix);
    }

    public TrainConfig withCheckpointEvery(long steps) {
        return new TrainConfig(epochs, seed, labelSmoothing, l1, clipNorm, divergence, monitor, patience, restoreBest,
                steps, keepCheckpoints, keepBest, noiseMatrix);
    }

    /** With forward loss correction by {@code m} ([given][true], columns sum to 1), or without it for null. */
    public TrainConfig withNoiseMatrix(double[][] m) {
        return new TrainConfig(epochs, seed, labelSmoothing, l1, clipNorm, divergence, monitor, patience, restoreBest,
                checkpointEvery, keepCheckpoints, keepBest, m);
    }

    private static double[][] checkedNoiseMatrix(double[][] m) {
        int k = m.length;
        double[][] copy = new double[k][];
        for (int i = 0; i < k; i++) {
            if (m[i].length != k) {
                throw new IllegalArgumentException("noise matrix: row " + i + " has " + m[i].length + " entries, not " + k);
            }
            copy[i] = m[i].clone();
        }
        for (int j = 0; j < k; j++) {
            double col = 0;
            for (int i = 0; i < k; i++) {
                if (!(m[i][j] >= 0 && m[i][j] <= 1)) {
                    throw new IllegalArgumentException("noise matrix: entry [" + i + "][" + j + "] = " + m[i][j]
                            + " is not a probability");
                }
                col += m[i][j];
            }
            if (Math.abs(col - 1) > 1e-6) {
                throw new IllegalArgumentException("noise matrix: column " + j + " sums to " + col + ", not 1"
                        + " (P(given = i | true = j) over i)");
            }
        }
        return copy;
    }
}
