package dev.tuneup.evaluate;

/**
 * Precision, recall and F1 averaged over classes: unweighted (macro, every declared class counts once,
 * also one without examples) or weighted by support, as scikit-learn's {@code average=} with
 * {@code labels=} all classes.
 */
public record Averages(double precision, double recall, double f1) {
}
