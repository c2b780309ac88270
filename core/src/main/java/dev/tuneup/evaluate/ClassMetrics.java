package dev.tuneup.evaluate;

/**
 * One class's row of the classification report (scikit-learn conventions, zero division = 0).
 *
 * @param name      the class name
 * @param precision true positives / examples predicted as this class; 0 when the class is never predicted
 * @param recall    true positives / examples of this class; 0 when there are none
 * @param f1        harmonic mean of precision and recall; 0 when both are 0
 * @param support   how many examples truly belong to this class
 */
public record ClassMetrics(String name, double precision, double recall, double f1, int support) {
}
