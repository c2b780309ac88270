package dev.tuneup.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IndicesTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void reflectMirrorsWithoutRepeatingTheEdge() {
        // numpy.pad(np.arange(4), 7, mode="reflect") around the original 0..3
        int[] expected = {1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2};
        for (int i = -7; i <= 10; i++) {
            assertEquals(expected[i + 7], Indices.reflect(i, 4), "i=" + i);
        }
        assertEquals(1, Indices.reflect(-1, 2));
        assertEquals(0, Indices.reflect(2, 2));
        assertEquals(1, Indices.reflect(3, 2));
    }

    @Test
    void reflectOfALengthOneAxisIsAlwaysZero() {
        for (int i : new int[] {-3, -1, 0, 1, 5, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(0, Indices.reflect(i, 1), "i=" + i);
        }
    }

    @Test
    void reflectHandlesTheWholeIntRange() {
        assertEquals(0, Indices.reflect(Integer.MIN_VALUE, 5)); // floorMod(MIN, 8) = 0
        assertEquals(1, Indices.reflect(Integer.MAX_VALUE, 5)); // floorMod(MAX, 8) = 7 -> 8 - 7
    }

    @Test
    void reflectEqualsBouncingOffBothEdges() {
        // The oracle is the mirror walked step by step (the loop evaluate.Tta used before).
        for (int n = 1; n <= 7; n++) {
            for (int i = -40; i <= 40; i++) {
                assertEquals(bounce(i, n), Indices.reflect(i, n), "i=" + i + ", n=" + n);
            }
        }
    }

    @Test
    void argmaxTakesTheFirstOfTiedMaxima() {
        assertEquals(1, Indices.argmax(new float[] {0.1f, 0.7f, 0.2f}));
        assertEquals(0, Indices.argmax(new float[] {0.5f, 0.5f}));
        assertEquals(1, Indices.argmax(new float[] {0.2f, 0.4f, 0.4f}));
        assertEquals(0, Indices.argmax(new float[] {-0.0f, 0.0f}), "-0.0 and 0.0 tie");
        assertEquals(0, Indices.argmax(new float[] {INF, INF}));
        assertEquals(1, Indices.argmax(new float[] {-INF, -1}));
        assertEquals(0, Indices.argmax(new float[] {-INF, -INF}));
        assertEquals(0, Indices.argmax(new float[] {3}));
        assertEquals(0, Indices.argmax(new float[0]));
    }

    @Test
    void argmaxSkipsNanUnlessItIsFirst() {
        assertEquals(0, Indices.argmax(new float[] {NAN, 1, 2}), "nothing compares greater than a leading NaN");
        assertEquals(2, Indices.argmax(new float[] {1, NAN, 2}));
        assertEquals(0, Indices.argmax(new float[] {3, NAN, 2}));
        assertEquals(0, Indices.argmax(new float[] {NAN, NAN}));
    }

    @Test
    void argmaxOfARangeIsRelativeToItsStart() {
        float[] flat = {9, 1, 3, 3, 0, 2, 8, 2};
        assertEquals(1, Indices.argmax(flat, 1, 3));
        assertEquals(2, Indices.argmax(flat, 4, 3));
        assertEquals(0, Indices.argmax(flat, 7, 1));
        assertEquals(0, Indices.argmax(flat, 3, 0));
    }

    @Test
    void argmaxOfRows() {
        assertArrayEquals(new int[] {1, 0, 0, 0}, Indices.argmax(new float[][] {{0, 1}, {1, 0}, {}, {NAN, 4, 5}}));
        assertArrayEquals(new int[0], Indices.argmax(new float[0][]));
    }

    private static int bounce(int i, int n) {
        if (n == 1) {
            return 0;
        }
        while (i < 0 || i >= n) {
            i = i < 0 ? -i : 2 * (n - 1) - i;
        }
        return i;
    }
}
