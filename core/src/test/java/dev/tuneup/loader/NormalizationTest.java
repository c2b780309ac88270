package dev.tuneup.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NormalizationTest {
    @Test
    void tableMapsBytesToNormalisedValues() {
        Normalization n = new Normalization(new float[] {0.5f}, new float[] {0.5f});
        float[][] t = n.table();
        assertEquals(-1f, t[0][0], 1e-6f);
        assertEquals(1f, t[0][255], 1e-6f);
    }

    @Test
    void constantChannelsAreNotDividedByZero() {
        Normalization n = Normalization.fromStats(new double[] {0.2, 0.0}, new double[] {0.1, 0.0});
        assertArrayEquals(new float[] {0.1f, 1 / 255f}, n.std(), 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(new double[] {0}, new double[] {0}));
    }
}
