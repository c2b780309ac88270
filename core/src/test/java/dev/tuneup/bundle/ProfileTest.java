package dev.tuneup.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Profiles of hand-made probabilities, binning at the edges, and the validation messages. */
class ProfileTest {
    @Test
    void sharesBinsAccuracyAndMeanConfidenceOfHandMadeProbabilities() {
        float[][] p = {
            {0.97f, 0.02f, 0.01f}, // class 0, bin [0.95, 0.99)
            {0.10f, 0.85f, 0.05f}, // class 1, bin [0.8, 0.9)
            {0.40f, 0.35f, 0.25f}, // class 0, bin [0.4, 0.5)
            {0.00f, 0.00f, 1.00f}, // class 2, last bin, 1 included
        };
        Profile r = Profile.of(p, new int[] {0, 1, 1, 2});
        assertEquals(4, r.n());
        assertArrayEquals(new double[] {0.5, 0.25, 0.25}, r.classShare(), 1e-12);
        double[] bins = new double[12];
        bins[10] = 0.25;
        bins[8] = 0.25;
        bins[4] = 0.25;
        bins[11] = 0.25;
        assertArrayEquals(bins, r.confidenceShare(), 1e-12);
        assertArrayEquals(Profile.EDGES, r.confidenceEdges());
        assertEquals(0.75, r.accuracy(), 1e-12);
        assertEquals((0.97 + 0.85 + 0.40 + 1.0) / 4, r.meanConfidence(), 1e-6);
    }

    @Test
    void aConfidenceOnAnEdgeGoesToTheBinAboveAndOneToTheLast() {
        Profile r = Profile.of(new float[][] {{0.5f, 0.5f}}, new int[] {0});
        assertEquals(0, r.confidenceBin(0.0));
        assertEquals(0, r.confidenceBin(0.0999));
        assertEquals(9, r.confidenceBin(0.9));
        assertEquals(10, r.confidenceBin(0.95));
        assertEquals(11, r.confidenceBin(0.99));
        assertEquals(11, r.confidenceBin(1.0));
        assertThrows(IllegalArgumentException.class, () -> r.confidenceBin(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> r.confidenceBin(1.01));
    }

    @Test
    void inconsistentProfilesAreRejectedWithTheOffendingValue() {
        double[] bins = {0.5, 0.5};
        double[] edges = {0, 0.5, 1};
        assertMessage("at least one validation image", () -> new Profile(0, new double[] {1}, edges, bins, 1, 1));
        assertMessage("classShare must sum to 1", () -> new Profile(3, new double[] {0.5, 0.4}, edges, bins, 1, 1));
        assertMessage("confidenceShare must not be negative",
                () -> new Profile(3, new double[] {1}, edges, new double[] {1.5, -0.5}, 1, 1));
        assertMessage("one more value than the 2 confidence bins",
                () -> new Profile(3, new double[] {1}, new double[] {0, 1}, bins, 1, 1));
        assertMessage("must run from 0 to 1", () -> new Profile(3, new double[] {1}, new double[] {0, 0.5, 0.9}, bins, 1, 1));
        assertMessage("increase strictly", () -> new Profile(3, new double[] {1}, new double[] {0, 0, 1}, bins, 1, 1));
        assertMessage("must be in [0, 1]", () -> new Profile(3, new double[] {1}, edges, bins, 1.5, 1));
        assertMessage("as many probability rows as labels", () -> Profile.of(new float[][] {{1f}}, new int[0]));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
