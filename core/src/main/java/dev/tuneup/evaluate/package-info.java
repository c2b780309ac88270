/**
 * Evaluation of a classifier's predictions, on its test set and on other data (shifted sets,
 * corruptions): {@link dev.tuneup.evaluate.Evaluation} is computed once from softmax probabilities and
 * labels (accuracy, top-k, per-class precision/recall/F1, confusion matrix, NLL, Brier, calibration with
 * reliability bins, bootstrap confidence intervals); renderers ({@link dev.tuneup.evaluate.EvaluationText},
 * {@link dev.tuneup.evaluate.EvaluationJson}, the plots and {@code EvalReport} in {@code
 * dev.tuneup.report}) only read it.
 * Conventions follow scikit-learn 1.2 and are pinned by an oracle test.
 */
package dev.tuneup.evaluate;
