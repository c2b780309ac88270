package dev.tuneup.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-class drop tests with Holm's correction against scipy (core/src/test/python/class_drops_golden.py). */
class ClassDropsTest {
    /** n, broken, fixed per class, as in the generator. */
    private static final int[][] CASES = {{250, 30, 8}, {250, 12, 10}, {250, 5, 9}, {200, 20, 5}, {250, 0, 0}};
    private static final double[] P = {0.00232145537985, 0.738860016235, 0.992042697418, 0.0121853018786, 1};
    private static final double[] HOLM = {0.0116072768993, 1, 1, 0.0487412075144, 1};
    private static final double[] DETECTABLE = {0.0775490167426, 0.0775490167426, 0.0775490167426, 0.0843417567374,
        0.0775490167426};

    @Test
    void matchesScipyAndHolm() {
        List<Integer> labels = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        List<Integer> candidate = new ArrayList<>();
        for (int c = 0; c < CASES.length; c++) {
            int other = (c + 1) % CASES.length;
            for (int i = 0; i < CASES[c][0]; i++) {
                labels.add(c);
                boolean broken = i < CASES[c][1];
                boolean fixed = !broken && i < CASES[c][1] + CASES[c][2];
                current.add(fixed ? other : c);
                candidate.add(broken ? other : c);
            }
        }
        List<ClassDrops.Drop> drops = ClassDrops.test(ints(labels), ints(current), ints(candidate),
                List.of("a", "b", "c", "d", "e"), 0.02, 0.05);
        assertEquals(5, drops.size());
        for (int c = 0; c < CASES.length; c++) {
            ClassDrops.Drop d = drops.get(c);
            assertEquals(CASES[c][1], d.broken());
            assertEquals(CASES[c][2], d.fixed());
            assertEquals(P[c], d.pValue(), 1e-9, "p of class " + c);
            assertEquals(HOLM[c], d.adjusted(), 1e-9, "Holm-adjusted p of class " + c);
            assertEquals(DETECTABLE[c], d.detectable(), 1e-6, "detectable drop of class " + c);
        }
        assertTrue(drops.get(0).regressed(), "12 points down on 250: beyond chance");
        assertTrue(drops.get(3).regressed(), "7.5 points down on 200: just beyond chance after Holm");
        assertFalse(drops.get(1).regressed(), "0.8 points down: noise");
        assertFalse(drops.get(2).regressed(), "improved");
        assertFalse(drops.get(4).regressed(), "unchanged");
    }

    @Test
    void normalTailsAndTheirInverse() {
        assertEquals(0.5, Normal.sf(0), 1e-15);
        assertEquals(0.024997895148220435, Normal.sf(1.96), 1e-12); // scipy.stats.norm.sf(1.96)
        assertEquals(0.9750, Normal.sf(-1.959963984540054), 1e-12);
        assertEquals(1.6448536269514729, Normal.isf(0.05), 1e-9); // scipy.stats.norm.isf(0.05)
        assertEquals(-0.8416212335729143, Normal.isf(0.8), 1e-9);
    }

    private static int[] ints(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).toArray();
    }
}
