package dev.tuneup.evaluate;

import dev.tuneup.TuneupException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything tuneup reports about a classifier's predictions on one data set, computed once by
 * {@link #of}; text, JSON and plot renderers only read it. Conventions are scikit-learn 1.2's
 * (pinned by an oracle test): precision of a never-predicted class and recall of a class without
 * examples are 0; macro averages count every declared class.
 *
 * @param classes     class names, index = class id
 * @param n           number of examples
 * @param accuracy    fraction whose most probable class (argmax, ties to the lower index) is the label
 * @param topK        the k of {@link #topKAccuracy}: min(5, classes - 1), at least 1 (top-k over all
 *                    classes is always 1)
 * @param topKAccuracy fraction whose label is among the k most probable classes (exact ties rank the lower
 *                    class index first, as argmax does; scikit-learn's top_k_accuracy_score ranks it last)
 * @param nll         mean negative log-likelihood of the label (nats), as scikit-learn 1.2's
 *                    {@code log_loss}: probabilities clipped to [2^-52, 1 - 2^-52], rows renormalised
 * @param brier       multiclass Brier score: mean over examples of sum over classes (p - onehot)^2, in [0, 2]
 * @param perClass    precision, recall, F1 and support per class, in class order
 * @param macro       unweighted means over classes
 * @param weighted    means weighted by support
 * @param confusion   counts by true class (row) and predicted class (column)
 * @param calibration ECE, MCE and the reliability bins
 * @param bootstrap   confidence intervals for accuracy, macro-F1, NLL and ECE
 */
public record Evaluation(List<String> classes, int n, double accuracy, int topK, double topKAccuracy, double nll,
                         double brier, List<ClassMetrics> perClass, Averages macro, Averages weighted,
                         ConfusionMatrix confusion, Calibration calibration, Bootstrap bootstrap) {
    public Evaluation {
        classes = List.copyOf(classes);
        perClass = List.copyOf(perClass);
        if (perClass.size() != classes.size() || confusion.size() != classes.size()) {
            throw new TuneupException("evaluation of " + classes.size() + " classes has " + perClass.size()
                    + " per-class rows and a " + confusion.size() + "-class confusion matrix",
                    "build evaluations with Evaluation.of");
        }
    }

    /**
     * Evaluates softmax probabilities against labels.
     *
     * @param probabilities    one row per example, one probability per class (each row sums to 1 within 1e-3)
     * @param labels           the true class index of each example
     * @param classes          class names, at least 2, distinct
     * @param bins             number of equal-width confidence bins for calibration (15 is usual)
     * @param bootstrapSamples resamples for the 95% intervals (1000 is usual; 0 for none)
     * @param seed             seed of the resampling, so intervals are reproducible
     * @throws TuneupException for mismatched lengths, labels out of range, NaN, negative or non-normalised
     *                         rows (logits), fewer than 2 or duplicate classes, bins &lt; 1, samples &lt; 0
     */
    public static Evaluation of(float[][] probabilities, int[] labels, List<String> classes, int bins,
                                int bootstrapSamples, long seed) {
        checkClasses(classes);
        if (bins < 1) {
            throw new TuneupException("calibration needs at least 1 bin, got " + bins, "use 15 bins (the usual choice)");
        }
        if (bootstrapSamples < 0) {
            throw new TuneupException("bootstrap samples must be 0 or more, got " + bootstrapSamples,
                    "use 1000 resamples, or 0 for no confidence intervals");
        }
        int topK = Math.max(1, Math.min(5, classes.size() - 1));
        Examples ex = Examples.of(probabilities, labels, classes.size(), bins, topK);
        Tally all = Tally.of(ex, null);
        int[][] counts = new int[ex.classes][ex.classes];
        for (int i = 0; i < ex.n; i++) {
            counts[ex.label[i]][ex.predicted[i]]++;
        }
        return new Evaluation(classes, ex.n, all.accuracy(), topK, all.topKAccuracy(), all.nll(), all.brier(),
                all.perClass(classes), all.macro(), all.weighted(), new ConfusionMatrix(counts), all.calibration(),
                Resampler.run(ex, bootstrapSamples, seed, Bootstrap.LEVEL));
    }

    private static void checkClasses(List<String> classes) {
        if (classes == null || classes.size() < 2) {
            throw new TuneupException("evaluation needs at least 2 classes, got "
                    + (classes == null ? "none" : classes), "pass the model's class names in index order");
        }
        Set<String> seen = new HashSet<>();
        for (String c : classes) {
            if (c == null || c.isBlank()) {
                throw new TuneupException("class list " + classes + " has a blank name", "name every class");
            }
            if (!seen.add(c)) {
                throw new TuneupException("class '" + c + "' appears twice in " + classes, "class names must be distinct");
            }
        }
    }

    /** Number of classes. */
    public int numClasses() {
        return classes.size();
    }

    /** The per-class row of the class named {@code name}. */
    public ClassMetrics classMetrics(String name) {
        int i = classes.indexOf(name);
        if (i < 0) {
            throw new TuneupException("no class '" + name + "'", "use one of " + classes);
        }
        return perClass.get(i);
    }
}
