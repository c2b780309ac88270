package dev.tuneup.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.data.ImageSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Detection scores against known true labels, and the two fixes applied through labels only. */
class LabelRepairTest {
    @Test
    void detectionCountsCaughtWrongLabels() {
        int[] given = {0, 1, 1, 0, 2, 2};
        int[] truth = {0, 0, 1, 1, 2, 0}; // indices 1, 3 and 5 are wrong
        LabelRepair.Detection d = LabelRepair.detection(new int[] {1, 3, 4}, given, truth);
        assertEquals(3, d.flagged());
        assertEquals(3, d.trulyWrong());
        assertEquals(2, d.caught());
        assertEquals(2.0 / 3, d.precision(), 1e-12);
        assertEquals(2.0 / 3, d.recall(), 1e-12);
        assertEquals(2.0 / 3, d.f1(), 1e-12);
    }

    @Test
    void dropRemovesAndRelabelRewritesOnlyTheSuspects() {
        ImageSet set = CrossFitTest.bars(2, 1); // labels 0,1,2,0,1,2
        LabelIssues li = new LabelIssues(List.of(new Issue(4, 1, 2, 0.1, 0.9), new Issue(0, 0, 1, 0.2, 0.4)), new double[3],
                new int[3][3], new double[3][3], 0.3);
        ImageSet dropped = LabelRepair.apply(set, li, LabelRepair.Fix.DROP);
        assertArrayEquals(new int[] {1, 2, 0, 2}, dropped.labels());
        assertEquals(List.of("bar1", "bar2", "bar3", "bar5"), java.util.stream.IntStream.range(0, 4)
                .mapToObj(dropped::source).toList());
        ImageSet relabelled = LabelRepair.apply(set, li, LabelRepair.Fix.RELABEL);
        assertArrayEquals(new int[] {1, 1, 2, 0, 2, 2}, relabelled.labels());
        assertEquals(set, LabelRepair.apply(set, li, LabelRepair.Fix.NONE));
        // confident about image 4 (0.9 >= 0.5): relabelled; unsure about image 0 (0.4): dropped
        ImageSet hybrid = LabelRepair.apply(set, li, LabelRepair.Fix.RELABEL_CONFIDENT, 0.5);
        assertArrayEquals(new int[] {1, 2, 0, 2, 2}, hybrid.labels());
        assertEquals(List.of("bar1", "bar2", "bar3", "bar4", "bar5"), java.util.stream.IntStream.range(0, 5)
                .mapToObj(hybrid::source).toList());
        assertArrayEquals(new int[] {1, 2, 0, 2}, LabelRepair.apply(set, li, LabelRepair.Fix.RELABEL_CONFIDENT,
                0.95).labels(), "above every probability: the same as drop");
    }

    @Test
    void forwardKeepsEveryLabelAndTrainsWithTheNoiseMatrix() {
        ImageSet set = CrossFitTest.bars(2, 1);
        // [given][true]; nobody is confidently in class 2, so its column is empty
        double[][] noise = {{0.75, 0.5, 0}, {0.25, 0.5, 0}, {0, 0, 0}};
        LabelIssues li = new LabelIssues(List.of(new Issue(4, 1, 2, 0.1, 0.9)), new double[3], new int[3][3], noise, 0.3);
        assertEquals(set, LabelRepair.apply(set, li, LabelRepair.Fix.FORWARD));
        double[][] m = LabelRepair.forwardMatrix(li);
        assertArrayEquals(new double[] {0.75, 0.5, 0}, m[0]);
        assertArrayEquals(new double[] {0, 0, 1}, m[2], "an empty column is taken as noise-free");
        assertEquals(0, noise[2][2], "the estimate itself is not changed");
        assertEquals(1.0, dev.tuneup.train.TrainConfig.defaults(1, 1).withNoiseMatrix(m).noiseMatrix()[2][2],
                "a valid matrix for training");
    }

    @Test
    void softTrainsTheSuspectsOnTheirOutOfSampleProbabilities() {
        ImageSet set = CrossFitTest.bars(2, 1); // labels 0,1,2,0,1,2
        LabelIssues li = new LabelIssues(List.of(new Issue(4, 1, 2, 0.1, 0.7)), new double[3], new int[3][3],
                new double[3][3], 0.3);
        float[][] probs = new float[6][];
        for (int i = 0; i < 6; i++) {
            probs[i] = new float[] {0.1f, 0.2f, 0.7f};
        }
        ImageSet soft = LabelRepair.soften(set, li, probs, 1);
        assertEquals(6, soft.size(), "nothing dropped");
        assertTrue(soft.hasTargets());
        assertArrayEquals(new int[] {0, 1, 2, 0, 2, 2}, soft.labels(), "the suspect's label is its most probable class");
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.7f}, soft.target(4), 1e-6f);
        assertArrayEquals(new float[] {0, 1, 0}, soft.target(1), "the others train on their labels");
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.7f}, soft.subset(new int[] {4, 0}).target(0), 1e-6f,
                "subsets keep the targets");
        assertTrue(!soft.contentHash().equals(set.withLabels(soft.labels(), set.classes()).contentHash()),
                "the targets are part of the content");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> set.withTargets(new float[][] {{0.5f, 0.6f, 0}, null, null, null, null, null}));
        ImageSet half = LabelRepair.soften(set, li, probs, 0.5);
        assertArrayEquals(new float[] {0.05f, 0.6f, 0.35f}, half.target(1), 1e-6f, "half label 1, half (0.1, 0.2, 0.7)");
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.7f}, half.target(4), 1e-6f, "a suspect: the probabilities alone");
        assertArrayEquals(soft.labels(), half.labels());
    }

    @Test
    void rebalanceRestoresTheSizeByTheEstimatedTrueShares() {
        ImageSet set = CrossFitTest.bars(2, 1); // labels 0,1,2,0,1,2
        LabelIssues li = new LabelIssues(List.of(new Issue(4, 1, 2, 0.1, 0.3), new Issue(0, 0, 1, 0.2, 0.4)),
                new double[3], new int[][] {{2, 0, 0}, {0, 2, 0}, {0, 0, 2}}, new double[3][3], 0.3);
        ImageSet dropped = LabelRepair.apply(set, li, LabelRepair.Fix.DROP);
        ImageSet even = LabelRepair.rebalance(dropped, li, 6, 1);
        assertEquals(6, even.size());
        assertArrayEquals(new int[] {2, 2, 2}, even.classCounts());
        assertEquals(List.of("bar1", "bar1", "bar2", "bar3", "bar3", "bar5"), java.util.stream.IntStream.range(0, 6)
                .mapToObj(even::source).toList(), "the kept images, repeated; nothing dropped comes back");
        LabelIssues skewed = new LabelIssues(li.issues(), new double[3], new int[][] {{4, 0, 0}, {0, 1, 0}, {0, 0, 1}},
                new double[3][3], 0.3);
        assertArrayEquals(new int[] {4, 1, 2}, LabelRepair.rebalance(dropped, skewed, 6, 1).classCounts(),
                "shares follow the confident joint's columns; a class keeps what it kept");
    }
}
