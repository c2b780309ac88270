package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubsetsTest {
    /** n images per class for k classes; image i has pixel value i (mod 256) and source "i". */
    static ImageSet set(int k, int n) {
        byte[][] px = new byte[k * n][];
        int[] lb = new int[k * n];
        String[] src = new String[k * n];
        for (int i = 0; i < k * n; i++) {
            px[i] = new byte[] {(byte) i};
            lb[i] = i % k;
            src[i] = Integer.toString(i);
        }
        return new ImageSet(1, 1, 1, IdxFormat.numbered(k), px, lb, src);
    }

    @Test
    void stratifiedSplitKeepsClassProportionsAndIsDeterministic() {
        ImageSet s = set(4, 50);
        Subsets.Split a = Subsets.stratified(s, 0.2, 1);
        assertArrayEquals(new int[] {10, 10, 10, 10}, a.val().classCounts());
        assertArrayEquals(new int[] {40, 40, 40, 40}, a.train().classCounts());
        Set<String> all = new HashSet<>();
        for (ImageSet part : List.of(a.train(), a.val())) {
            for (int i = 0; i < part.size(); i++) {
                assertTrue(all.add(part.source(i)), "no image in both parts");
            }
        }
        assertEquals(200, all.size());
        Subsets.Split again = Subsets.stratified(s, 0.2, 1);
        assertEquals(a.val().contentHash(), again.val().contentHash());
        assertNotEquals(a.val().contentHash(), Subsets.stratified(s, 0.2, 2).val().contentHash());
    }

    @Test
    void smallClassesStillGetOneValidationImage() {
        assertArrayEquals(new int[] {1, 1}, Subsets.stratified(set(2, 3), 0.1, 0).val().classCounts());
        assertThrows(IllegalArgumentException.class, () -> Subsets.stratified(set(2, 3), 1.0, 0));
    }

    @Test
    void classSubsetRelabelsInTheGivenOrder() {
        ImageSet s = set(10, 3);
        ImageSet upper = Subsets.classes(s, new int[] {7, 5});
        assertEquals(List.of("7", "5"), upper.classes());
        assertEquals(6, upper.size());
        for (int i = 0; i < upper.size(); i++) {
            int original = Integer.parseInt(upper.source(i)) % 10;
            assertEquals(original == 7 ? 0 : 1, upper.label(i));
        }
        assertThrows(IllegalArgumentException.class, () -> Subsets.classes(s, new int[] {3, 3}));
    }

    @Test
    void perClassTakesAtMostK() {
        ImageSet s = Subsets.perClass(set(3, 10), 4, 5);
        assertArrayEquals(new int[] {4, 4, 4}, s.classCounts());
        assertEquals(s.contentHash(), Subsets.perClass(set(3, 10), 4, 5).contentHash());
        assertArrayEquals(new int[] {2, 2}, Subsets.perClass(set(2, 2), 9, 5).classCounts());
    }

    @Test
    void symmetricNoiseFlipsAboutTheRateAndRecordsTheTruth() {
        ImageSet s = set(5, 2000);
        LabelNoise.Noisy n = LabelNoise.symmetric(s, 0.2, 3);
        assertArrayEquals(s.labels(), n.trueLabels());
        double rate = n.flippedCount() / (double) s.size();
        assertEquals(0.2, rate, 0.015);
        for (int i = 0; i < s.size(); i++) {
            if (n.flipped(i)) {
                assertNotEquals(n.trueLabels()[i], n.set().label(i));
            }
        }
        assertArrayEquals(n.set().labels(), LabelNoise.symmetric(s, 0.2, 3).set().labels());
    }

    @Test
    void matrixNoiseFollowsTheRows() {
        ImageSet s = set(2, 5000);
        double[][] t = {{1.0, 0.0}, {0.3, 0.7}};
        LabelNoise.Noisy n = LabelNoise.fromMatrix(s, t, 9);
        int fromZero = 0;
        int fromOne = 0;
        for (int i = 0; i < s.size(); i++) {
            if (n.flipped(i)) {
                if (n.trueLabels()[i] == 0) {
                    fromZero++;
                } else {
                    fromOne++;
                }
            }
        }
        assertEquals(0, fromZero);
        assertEquals(0.3, fromOne / 5000.0, 0.02);
        assertThrows(IllegalArgumentException.class,
                () -> LabelNoise.fromMatrix(s, new double[][] {{0.5, 0.4}, {0, 1}}, 0));
    }

    @Test
    void pairSpecsBuildTheMatrixByNameOrIndexAndRefuseNonsenseWithTheFix() {
        List<String> classes = List.of("cat", "dog", "car");
        double[][] t = LabelNoise.pairs("cat>dog=0.3, dog>cat=0.4, 2>1=0.1", classes);
        assertArrayEquals(new double[] {0.7, 0.3, 0.0}, t[0], 1e-12);
        assertArrayEquals(new double[] {0.4, 0.6, 0.0}, t[1], 1e-12);
        assertArrayEquals(new double[] {0.0, 0.1, 0.9}, t[2], 1e-12);
        for (String bad : new String[] {"cat>dog", "cat>cow=0.1", "cat>dog=1.5", "cat>cat=0.1", "cat>dog=0.6,cat>car=0.6"}) {
            dev.tuneup.TuneupException e = assertThrows(dev.tuneup.TuneupException.class,
                    () -> LabelNoise.pairs(bad, classes), bad);
            assertFalse(e.fix().isEmpty(), bad);
        }
        ImageSet s = set(3, 300);
        assertArrayEquals(LabelNoise.symmetric(s, 0.2, 4).set().labels(), LabelNoise.inject(s, " 0.2 ", 4).set().labels());
        LabelNoise.Noisy pairs = LabelNoise.inject(s, "0>1=1.0", 4);
        for (int i = 0; i < s.size(); i++) {
            assertEquals(s.label(i) == 0 ? 1 : s.label(i), pairs.set().label(i));
        }
    }
}
