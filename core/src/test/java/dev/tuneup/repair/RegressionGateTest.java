package dev.tuneup.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate on constructed prediction pairs over 4 classes of 125 test examples each (n = 500). */
class RegressionGateTest {
    static final List<String> CLASSES = List.of("cat", "dog", "ship", "truck");
    static final double TOL = 1e-12;

    /** Builds a test set class by class: how many examples each model gets right or wrong. */
    static final class Pairs {
        final List<int[]> rows = new ArrayList<>();

        /** {@code count} examples of class {@code c}; a wrong prediction is the next class. */
        Pairs add(int c, boolean currentRight, boolean candidateRight, int count) {
            for (int i = 0; i < count; i++) {
                rows.add(new int[] {c, currentRight ? c : (c + 1) % 4, candidateRight ? c : (c + 1) % 4});
            }
            return this;
        }

        /** One class of 125: {@code right} both right, {@code fixed}, {@code broken}, the rest both wrong. */
        Pairs klass(int c, int right, int fixed, int broken) {
            return add(c, true, true, right).add(c, false, true, fixed).add(c, true, false, broken)
                    .add(c, false, false, 125 - right - fixed - broken);
        }

        int[] column(int i) {
            return rows.stream().mapToInt(r -> r[i]).toArray();
        }

        Decision decide(RegressionGate gate, TargetedMetric targeted) {
            return gate.decide(column(0), column(1), column(2), CLASSES, targeted);
        }
    }

    @Test
    void acceptsAnImprovement() {
        // Per class: 98 both right, 10 fixed, 2 broken, 15 both wrong.
        // current right = 100/125 = 0.8, candidate right = 108/125 = 0.864; fixed 40, broken 8.
        Pairs p = new Pairs();
        for (int c = 0; c < 4; c++) {
            p.klass(c, 98, 10, 2);
        }
        Decision d = p.decide(RegressionGate.defaults(), null);
        assertTrue(d.accepted(), d.report());
        assertEquals(500, d.n());
        assertEquals(0.8, d.accuracyBefore(), TOL);
        assertEquals(0.864, d.accuracyAfter(), TOL);
        assertEquals(40, d.fixed());
        assertEquals(8, d.broken());
        assertFalse(d.exactTest());
        // (40-8-1)^2/48 = 961/48; scipy chi2.sf(961/48, 1)
        assertEquals(7.660302094057405e-06, d.pValue(), 1e-15);
        assertEquals(List.of("cat", "dog", "ship", "truck"), List.copyOf(d.recallDelta().keySet()));
        d.recallDelta().values().forEach(v -> assertEquals(8 / 125.0, v, TOL));
        assertEquals(0.8, d.recallBefore().get("ship"), TOL);
        assertTrue(d.reasons().get(0).startsWith("accuracy not significantly worse"), d.reasons().toString());
    }

    @Test
    void acceptsEqualPredictions() {
        Pairs p = new Pairs();
        for (int c = 0; c < 4; c++) {
            p.klass(c, 100, 0, 0);
        }
        Decision d = p.decide(RegressionGate.defaults(), null);
        assertTrue(d.accepted());
        assertEquals(0, d.fixed());
        assertEquals(0, d.broken());
        assertEquals(1.0, d.pValue());
        assertTrue(d.exactTest());
        d.recallDelta().values().forEach(v -> assertEquals(0.0, v));
    }

    @Test
    void rejectsASignificantRegression() {
        // 30 broken vs 5 fixed of 500. 25 net losses over 4 classes of 125 must drop some class's recall by
        // more than 2 points, so the recall check is switched off (max drop 1) to see the accuracy check alone. McNemar: (30-5-1)^2/35 = 16.457, p = 4.976e-05 < 0.05 and b > c.
        Pairs p = new Pairs().klass(0, 100, 2, 8).klass(1, 100, 1, 7).klass(2, 100, 1, 8).klass(3, 100, 1, 7);
        Decision d = p.decide(new RegressionGate(0.05, 1.0), null);
        assertFalse(d.accepted());
        assertEquals(30, d.broken());
        assertEquals(5, d.fixed());
        assertEquals(4.976233487907417e-05, d.pValue(), 1e-15);
        assertEquals(1, d.reasons().size(), d.reasons().toString());
        assertTrue(d.reasons().get(0).contains("significantly less accurate"), d.reasons().get(0));
        assertTrue(d.reasons().get(0).contains("30 new errors vs 5 fixed"), d.reasons().get(0));
        // With the default gate the per-class drops (6/125 = 0.048 in 'cat') fail as well.
        Decision strict = p.decide(RegressionGate.defaults(), null);
        assertFalse(strict.accepted());
        assertEquals(5, strict.reasons().size(), strict.reasons().toString());
    }

    @Test
    void aSignificantImprovementIsNotARegression() {
        // b = 5, c = 30: same p-value as above but the candidate is better.
        Pairs p = new Pairs().klass(0, 100, 8, 2).klass(1, 100, 7, 1).klass(2, 100, 8, 1).klass(3, 100, 7, 1);
        Decision d = p.decide(RegressionGate.defaults(), null);
        assertTrue(d.accepted(), d.report());
        assertEquals(4.976233487907417e-05, d.pValue(), 1e-15);
    }

    @Test
    void rejectsABigDropInOneClassEvenIfAccuracyImproves() {
        // cat: 15 broken of 125 (recall 0.8 -> 0.68); dog, ship, truck: 10 fixed each. Overall 0.8 -> 0.83.
        Pairs p = new Pairs().klass(0, 85, 0, 15);
        for (int c = 1; c < 4; c++) {
            p.klass(c, 100, 10, 0);
        }
        Decision d = p.decide(RegressionGate.defaults(), null);
        assertFalse(d.accepted());
        assertEquals(0.8, d.accuracyBefore(), TOL);
        assertEquals(0.83, d.accuracyAfter(), TOL);
        assertEquals(-0.12, d.recallDelta().get("cat"), TOL);
        assertEquals(0.08, d.recallDelta().get("dog"), TOL);
        assertEquals(1, d.reasons().size(), d.reasons().toString());
        assertTrue(d.reasons().get(0).contains("'cat'"), d.reasons().get(0));
        assertTrue(d.report().contains("drop too large"), d.report());
    }

    @Test
    void theTestedClassCheckRejectsADropBeyondChanceAndForgivesNoise() {
        RegressionGate tested = new RegressionGate(0.05, 0.02, RegressionGate.ClassCheck.TEST);
        // cat: 15 broken of 125, 12 points down: beyond chance even after Holm over four classes
        Pairs big = new Pairs().klass(0, 85, 0, 15);
        for (int c = 1; c < 4; c++) {
            big.klass(c, 100, 10, 0);
        }
        Decision d = big.decide(tested, null);
        assertFalse(d.accepted());
        assertTrue(d.reasons().get(0).contains("'cat'") && d.reasons().get(0).contains("beyond chance"), d.reasons().get(0));
        assertTrue(d.report().contains("p (Holm)") && d.report().contains("drop too large"), d.report());
        // cat: 5 broken, 1 fixed of 125 (3.2 points down): over the fixed 2-point margin, inside the noise
        Pairs small = new Pairs().klass(0, 95, 1, 5);
        for (int c = 1; c < 4; c++) {
            small.klass(c, 100, 4, 0);
        }
        assertFalse(small.decide(RegressionGate.defaults(), null).accepted(), "the fixed margin rejects it");
        Decision noise = small.decide(tested, null);
        assertTrue(noise.accepted(), noise.report());
        assertEquals(4, noise.classTests().size());
        assertTrue(noise.reasons().stream().anyMatch(r -> r.contains("smallest drop these examples can show")),
                noise.reasons().toString());
    }

    @Test
    void aDropOfExactlyTheMarginIsAllowed() {
        // 100 examples of 'cat' only: a drop of 2/100 = 0.02 passes, 3/100 does not.
        int[] labels = new int[100];
        int[] current = new int[100];
        int[] two = new int[100];
        int[] three = new int[100];
        for (int i = 0; i < 100; i++) {
            two[i] = i < 2 ? 1 : 0;
            three[i] = i < 3 ? 1 : 0;
        }
        RegressionGate gate = new RegressionGate(0.05, 0.02);
        assertTrue(gate.decide(labels, current, two, CLASSES).accepted());
        Decision d = gate.decide(labels, current, three, CLASSES);
        assertFalse(d.accepted());
        // Classes without test examples are not in the per-class table.
        assertEquals(List.of("cat"), List.copyOf(d.recallDelta().keySet()));
    }

    @Test
    void rejectsWhenTheTargetedMetricDoesNotImproveEnough() {
        Pairs p = new Pairs();
        for (int c = 0; c < 4; c++) {
            p.klass(c, 100, 0, 0);
        }
        TargetedMetric small = new TargetedMetric("mean corruption accuracy", 0.61, 0.615, 0.01);
        Decision d = p.decide(RegressionGate.defaults(), small);
        assertFalse(d.accepted());
        assertEquals(1, d.reasons().size());
        assertTrue(d.reasons().get(0).contains("mean corruption accuracy"), d.reasons().get(0));
        TargetedMetric enough = new TargetedMetric("mean corruption accuracy", 0.61, 0.62, 0.01);
        assertTrue(p.decide(RegressionGate.defaults(), enough).accepted());
        TargetedMetric worse = new TargetedMetric("accuracy on 'ship'", 0.7, 0.69, 0.0);
        assertFalse(p.decide(RegressionGate.defaults(), worse).accepted());
    }

    @Test
    void reportShowsFixesNewErrorsDeltasAndVerdict() {
        Pairs p = new Pairs().klass(0, 85, 0, 15);
        for (int c = 1; c < 4; c++) {
            p.klass(c, 100, 10, 0);
        }
        String r = p.decide(RegressionGate.defaults(), new TargetedMetric("mean corruption accuracy", 0.5, 0.6, 0.05))
                .report();
        assertTrue(r.startsWith("Regression gate: REJECTED (500 held-out examples)"), r);
        assertTrue(r.contains("Accuracy: 0.8000 -> 0.8300 (+0.0300)"), r);
        assertTrue(r.contains("Errors fixed (current wrong, candidate right): 30"), r);
        assertTrue(r.contains("New errors (current right, candidate wrong): 15"), r);
        assertTrue(r.contains("chi-squared, continuity-corrected"), r);
        assertTrue(r.contains("  cat     0.8000   0.6800   -0.1200  drop too large"), r);
        assertTrue(r.contains("  dog     0.8000   0.8800   +0.0800\n"), r);
        assertTrue(r.contains("Targeted metric 'mean corruption accuracy': 0.5000 -> 0.6000"), r);
        assertTrue(r.contains("Verdict: REJECTED\n  - recall of class 'cat' dropped by 0.1200"), r);
    }

    @Test
    void badInputsAreClearErrors() {
        RegressionGate gate = RegressionGate.defaults();
        assertThrows(TuneupException.class, () -> new RegressionGate(0, 0.02));
        assertThrows(TuneupException.class, () -> new RegressionGate(0.05, -0.1));
        assertThrows(TuneupException.class, () -> gate.decide(new int[0], new int[0], new int[0], CLASSES));
        assertThrows(TuneupException.class, () -> gate.decide(new int[] {0, 1}, new int[] {0}, new int[] {0, 1}, CLASSES));
        TuneupException e = assertThrows(TuneupException.class,
                () -> gate.decide(new int[] {0, 1}, new int[] {0, 1}, new int[] {0, 7}, CLASSES));
        assertTrue(e.getMessage().contains("candidate prediction 7"), e.getMessage());
        assertThrows(TuneupException.class, () -> gate.decide(new int[] {0}, new int[] {0}, new int[] {0}, List.of("a", "a")));
        assertThrows(TuneupException.class, () -> new TargetedMetric("x", Double.NaN, 0.5, 0));
    }
}
