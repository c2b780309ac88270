package dev.tuneup.evaluate;

/**
 * One equal-width confidence bin of a reliability diagram: the examples whose confidence (max
 * probability) lies in {@code (lower, upper]} (the first bin also takes confidence 0).
 *
 * @param count      examples in the bin
 * @param confidence their mean confidence; NaN when the bin is empty
 * @param accuracy   the fraction of them predicted correctly; NaN when the bin is empty
 */
public record ReliabilityBin(double lower, double upper, int count, double confidence, double accuracy) {
    /** |accuracy - confidence|, the bin's calibration gap; 0 for an empty bin. */
    public double gap() {
        return count == 0 ? 0 : Math.abs(accuracy - confidence);
    }
}
