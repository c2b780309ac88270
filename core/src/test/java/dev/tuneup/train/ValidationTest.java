package dev.tuneup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Validation counts a hit only when the true class's logit is finite and strictly above every other. */
class ValidationTest {
    @Test
    void tiesAndNonFiniteLogitsAreNeverAHit() {
        float nan = Float.NaN;
        assertEquals(0, Validation.rank(new float[] {1, 3, 2}, 0, 3, 1));
        assertEquals(1, Validation.rank(new float[] {3, 3, 2}, 0, 3, 1), "a tie counts against the true class");
        assertEquals(3, Validation.rank(new float[] {nan, nan, nan}, 0, 3, 1), "all NaN: not even top-5 of 3");
        assertEquals(1, Validation.rank(new float[] {nan, 3, 2}, 0, 3, 1), "a NaN rival beats the true class");
        assertEquals(3, Validation.rank(new float[] {1, Float.POSITIVE_INFINITY, 2}, 0, 3, 1));
        assertEquals(0, Validation.rank(new float[] {9, 9, 1, 3, 2}, 2, 3, 1), "rows are read at their offset");
    }
}
