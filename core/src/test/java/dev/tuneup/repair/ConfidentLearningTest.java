package dev.tuneup.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Confident learning on a hand-made 11-example, 3-class set whose every number is worked out below.
 *
 * <pre>
 *  x   p0    p1    p2    given  confident class (p_j >= t_j, largest p_j)
 *  0   0.80  0.10  0.10  0      0
 *  1   0.60  0.30  0.10  0      0
 *  2   0.10  0.80  0.10  0      1          (really a 1)
 *  3   0.10  0.90  0.00  1      1
 *  4   0.20  0.70  0.10  1      1
 *  5   0.70  0.20  0.10  1      0          (really a 0)
 *  6   0.10  0.10  0.80  2      2
 *  7   0.52  0.00  0.48  2      0          (0 and 2 both clear their thresholds, p0 is larger)
 *  8   0.30  0.30  0.40  2      -          (nothing clears its threshold: not counted)
 *  9   0.40  0.50  0.10  2      -          (0.4 < t0, 0.5 < t1, 0.1 < t2)
 * 10   0.20  0.20  0.60  2      2
 * </pre>
 */
class ConfidentLearningTest {
    static final double TOL = 1e-6;

    static final float[][] PRED = {
        {0.80f, 0.10f, 0.10f}, {0.60f, 0.30f, 0.10f}, {0.10f, 0.80f, 0.10f},
        {0.10f, 0.90f, 0.00f}, {0.20f, 0.70f, 0.10f}, {0.70f, 0.20f, 0.10f},
        {0.10f, 0.10f, 0.80f}, {0.52f, 0.00f, 0.48f}, {0.30f, 0.30f, 0.40f}, {0.40f, 0.50f, 0.10f},
        {0.20f, 0.20f, 0.60f},
    };
    static final int[] LABELS = {0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2};

    @Test
    void thresholdsAreMeanSelfConfidencePerClass() {
        double[] t = ConfidentJoint.thresholds(PRED, LABELS);
        assertEquals((0.8 + 0.6 + 0.1) / 3, t[0], TOL); // 0.5
        assertEquals((0.9 + 0.7 + 0.2) / 3, t[1], TOL); // 0.6
        assertEquals((0.8 + 0.48 + 0.4 + 0.1 + 0.6) / 5, t[2], TOL); // 2.38 / 5 = 0.476
    }

    @Test
    void confidentJointBeforeAndAfterCalibration() {
        ConfidentJoint cj = ConfidentJoint.of(PRED, LABELS);
        assertArrayEquals(new int[] {0, 0, 1, 1, 1, 0, 2, 0, -1, -1, 2}, cj.confidentClass());
        // Raw counts, rows = given, columns = confident class: row 2 holds x6, x10 (col 2) and x7 (col 0).
        assertArrayEquals(new int[][] {{2, 1, 0}, {1, 2, 0}, {1, 0, 2}}, cj.counts());
        // Calibration: label counts are 3, 3, 5.
        // row 0: [2,1,0] * 3/3 = [2,1,0]; row 1: [1,2,0] * 3/3 = [1,2,0];
        // row 2: [1,0,2] * 5/3 = [1.667, 0, 3.333] -> floor [1,0,3] (sum 4), the missing unit goes to the
        // largest fraction (0.667, column 0) -> [2,0,3]. Total 3 + 3 + 5 = 11 = n, so no rescaling.
        assertArrayEquals(new int[][] {{2, 1, 0}, {1, 2, 0}, {2, 0, 3}}, cj.calibrated());
    }

    @Test
    void jointNoiseMatricesAndNoiseRates() {
        ConfidentJoint cj = ConfidentJoint.of(PRED, LABELS);
        // Q = C / 11.
        assertMatrix(new double[][] {{2 / 11.0, 1 / 11.0, 0}, {1 / 11.0, 2 / 11.0, 0}, {2 / 11.0, 0, 3 / 11.0}}, cj.joint());
        // P(given i | true j) = C[i][j] / column sum; column sums 5, 3, 3.
        assertMatrix(new double[][] {{2 / 5.0, 1 / 3.0, 0}, {1 / 5.0, 2 / 3.0, 0}, {2 / 5.0, 0, 1}}, cj.noiseMatrix());
        // P(true j | given i) = C[i][j] / row sum, stored [true][given]; row sums 3, 3, 5.
        assertMatrix(new double[][] {{2 / 3.0, 1 / 3.0, 2 / 5.0}, {1 / 3.0, 2 / 3.0, 0}, {0, 0, 3 / 5.0}},
                cj.inverseNoiseMatrix());
        // 1 - P(true i | given i): 1 - 2/3, 1 - 2/3, 1 - 3/5.
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 2 / 5.0}, cj.noiseRates(), 1e-12);
        // 1 - trace(Q) = 1 - (2 + 2 + 3) / 11 = 4/11.
        assertEquals(4 / 11.0, cj.estimatedNoise(), 1e-12);
    }

    @Test
    void offDiagonalMethodFlagsConfidentlyMislabelledExamples() {
        // Counted off the diagonal: x2 (0 -> 1), x5 (1 -> 0), x7 (2 -> 0); none has argmax == given.
        LabelIssues r = ConfidentLearning.find(PRED, LABELS, Method.CONFIDENT_JOINT_OFFDIAG, Ranking.SELF_CONFIDENCE);
        // Self-confidence: x2 0.10, x5 0.20, x7 0.48.
        assertArrayEquals(new int[] {2, 5, 7}, r.indices());
    }

    @Test
    void pruneByNoiseRateTakesTheLargestMarginsPerOffDiagonalCell() {
        // Calibrated off-diagonals: (0,1) = 1, (1,0) = 1, (2,0) = 2.
        // given 0, true 1, margin p1 - p0: x0 -0.7, x1 -0.3, x2 +0.7          -> x2
        // given 1, true 0, margin p0 - p1: x3 -0.8, x4 -0.5, x5 +0.5          -> x5
        // given 2, true 0, margin p0 - p2: x6 -0.7, x7 +0.04, x8 -0.1, x9 +0.3, x10 -0.4 -> x9, x7
        // x9 was not confidently anything but has the largest margin in its row.
        // Self-confidence: x2 0.1, x9 0.1 (tie, lower index first), x5 0.2, x7 0.48.
        LabelIssues r = ConfidentLearning.find(PRED, LABELS);
        assertArrayEquals(new int[] {2, 9, 5, 7}, r.indices());
        assertEquals(List.of(new Issue(2, 0, 1, 0.1f, 0.8f), new Issue(9, 2, 1, 0.1f, 0.5f),
                new Issue(5, 1, 0, 0.2f, 0.7f), new Issue(7, 2, 0, 0.48f, 0.52f)), r.issues());
        assertArrayEquals(new int[][] {{2, 1, 0}, {1, 2, 0}, {2, 0, 3}}, r.confidentJoint());
        assertEquals(4 / 11.0, r.estimatedNoise(), 1e-12);
        assertEquals(0.476, r.thresholds()[2], TOL);
        assertMatrix(new double[][] {{2 / 5.0, 1 / 3.0, 0}, {1 / 5.0, 2 / 3.0, 0}, {2 / 5.0, 0, 1}}, r.noiseMatrix());
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 2 / 5.0}, r.noiseRates(), 1e-12);
    }

    @Test
    void normalizedMarginRanking() {
        // (p_given - max other + 1) / 2: x2 (0.1-0.8+1)/2 = 0.15, x5 (0.2-0.7+1)/2 = 0.25,
        // x9 (0.1-0.5+1)/2 = 0.30, x7 (0.48-0.52+1)/2 = 0.48.
        LabelIssues r = ConfidentLearning.find(PRED, LABELS, Method.PRUNE_BY_NOISE_RATE, Ranking.NORMALIZED_MARGIN);
        assertArrayEquals(new int[] {2, 5, 9, 7}, r.indices());
        double[] scores = r.issues().stream().mapToDouble(Issue::score).toArray();
        assertArrayEquals(new double[] {0.15, 0.25, 0.30, 0.48}, scores, TOL);
    }

    @Test
    void calibrationClipsTheDiagonalAndRoundsKeepingRowTotals() {
        int[][] counts = {{0, 2, 1}, {1, 3, 0}, {0, 0, 0}};
        // row 0: diagonal clipped to 1 -> [1,2,1], * 5/4 = [1.25, 2.5, 1.25] -> floor [1,2,1], +1 at the
        //        largest fraction (0.5, column 1) -> [1,3,1]
        // row 1: [1,3,0] * 4/4 -> [1,3,0]
        // row 2: diagonal clipped -> [0,0,1], * 2/1 -> [0,0,2]
        // total 5 + 4 + 2 = 11 = n already.
        assertArrayEquals(new int[][] {{1, 3, 1}, {1, 3, 0}, {0, 0, 2}},
                ConfidentJoint.calibrate(counts, new int[] {5, 4, 2}));
    }

    @Test
    void amongSeveralConfidentClassesTheMostProbableWins() {
        // t0 = (0.6 + 0.8)/2 = 0.7, t1 = (0.25 + 0.35)/2 = 0.3, t2 = (0.23 + 0.2)/2 = 0.215.
        // x0 = [0.45, 0.32, 0.23]: class 0 is below t0, classes 1 and 2 clear theirs -> 1 (the paper's rule;
        // cleanlab's vectorised code would take the overall argmax, 0).
        float[][] pred = {{0.45f, 0.32f, 0.23f}, {0.6f, 0.2f, 0.2f}, {0.8f, 0.1f, 0.1f},
            {0.2f, 0.25f, 0.55f}, {0.1f, 0.35f, 0.55f}, {0.1f, 0.7f, 0.2f}};
        int[] labels = {2, 0, 0, 1, 1, 2};
        ConfidentJoint cj = ConfidentJoint.of(pred, labels);
        assertArrayEquals(new double[] {0.7, 0.3, 0.215}, cj.thresholds(), TOL);
        assertEquals(1, cj.confidentClass()[0]);
    }

    @Test
    void aClassNobodyIsLabelledWithIsNeverConfident() {
        float[][] pred = {{0.9f, 0.05f, 0.05f}, {0.1f, 0.8f, 0.1f}, {0.1f, 0.1f, 0.8f}};
        int[] labels = {0, 1, 1};
        ConfidentJoint cj = ConfidentJoint.of(pred, labels);
        assertEquals(Double.POSITIVE_INFINITY, cj.thresholds()[2]);
        // t1 = (0.8 + 0.1)/2 = 0.45: x2 clears nothing (p1 = 0.1, p2 has an infinite threshold).
        assertArrayEquals(new int[] {0, 1, -1}, cj.confidentClass());
        assertArrayEquals(new int[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 0}}, cj.counts());
        // Row 1 is scaled to its 2 labels; row 2 has no labels, so its clipped diagonal scales to 0.
        assertArrayEquals(new int[][] {{1, 0, 0}, {0, 2, 0}, {0, 0, 0}}, cj.calibrated());
    }

    @Test
    void tiesAtTheCutAreAllFlaggedAndEveryClassKeepsOne() {
        // Given 0 has three members; cell (0,1) asks for 1 but x1 and x2 tie at margin +0.4.
        float[][] pred = {{0.9f, 0.1f}, {0.3f, 0.7f}, {0.3f, 0.7f}, {0.2f, 0.8f}};
        int[] labels = {0, 0, 0, 1};
        boolean[] mask = NoiseRatePruning.select(pred, labels, new int[][] {{2, 1}, {0, 1}});
        assertArrayEquals(new boolean[] {false, true, true, false}, mask);
        // A zero diagonal becomes 1, taken from the row's largest off-diagonal count.
        assertArrayEquals(new int[][] {{1, 2, 1}, {0, 4, 0}, {1, 1, 1}},
                NoiseRatePruning.keepOnePerClass(new int[][] {{0, 3, 1}, {0, 4, 0}, {1, 1, 1}}));
    }

    @Test
    void parsesMethodAndRankingNames() {
        assertEquals(Method.PRUNE_BY_NOISE_RATE, Method.parse("prune_by_noise_rate"));
        assertEquals(Method.CONFIDENT_JOINT_OFFDIAG, Method.parse("confident_learning"));
        assertEquals(Method.CONFIDENT_JOINT_OFFDIAG, Method.parse("Confident_Joint_Offdiag"));
        assertEquals(Ranking.NORMALIZED_MARGIN, Ranking.parse("normalized_margin"));
        TuneupException e = assertThrows(TuneupException.class, () -> Method.parse("prune_by_class"));
        assertTrue(e.fix().contains("prune_by_noise_rate"));
    }

    @Test
    void badInputsAreClearErrors() {
        assertThrows(TuneupException.class, () -> ConfidentLearning.find(new float[0][], new int[0]));
        assertThrows(TuneupException.class, () -> ConfidentLearning.find(PRED, new int[] {0, 1}));
        float[][] logits = {{2.5f, -1f}, {0.2f, 0.8f}};
        TuneupException e = assertThrows(TuneupException.class, () -> ConfidentLearning.find(logits, new int[] {0, 1}));
        assertTrue(e.getMessage().contains("[0][0]"), e.getMessage());
        assertTrue(e.fix().contains("logits"));
        assertThrows(TuneupException.class, () -> ConfidentLearning.find(new float[][] {{0.5f, 0.5f}, {1f}}, new int[] {0, 1}));
        TuneupException label = assertThrows(TuneupException.class,
                () -> ConfidentLearning.find(new float[][] {{0.5f, 0.5f}}, new int[] {2}));
        assertTrue(label.getMessage().contains("label 2"), label.getMessage());
    }

    static void assertMatrix(double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], 1e-12, "row " + i);
        }
    }
}
