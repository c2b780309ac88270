package dev.tuneup.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.bundle.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Drift statistics against golden values from numpy/scipy (core/src/test/python/drift_golden.py). */
class DriftTest {
    static final Profile REF = new Profile(1000, new double[] {0.5, 0.3, 0.2}, Profile.EDGES,
            new double[] {0, 0, 0, 0.02, 0.03, 0.05, 0.05, 0.05, 0.1, 0.2, 0.2, 0.3}, 0.8, 0.9);
    static final Drift DRIFT = new Drift(REF, List.of("cat", "dog", "frog"));

    @Test
    void identicalTrafficIsStableWithZeroDrift() {
        Drift.Report r = DRIFT.report(new long[] {100, 60, 40}, new long[] {0, 0, 0, 4, 6, 10, 10, 10, 20, 40, 40, 60}, 0.9);
        assertEquals(200, r.n());
        assertEquals(0, r.classPsi(), 1e-12);
        assertEquals(0, r.confidencePsi(), 1e-12);
        assertEquals(0, r.ks(), 1e-12);
        assertEquals(1, r.ksPValue(), 1e-12);
        assertEquals(Drift.Level.STABLE, r.level());
        assertEquals("Stable: traffic looks like validation data (the largest class change is 'cat' (50% vs 50%),"
                + " confidence held at 0.90).", r.verdict());
    }

    @Test
    void aModerateShiftOfTheClassMix() {
        Drift.Report r = DRIFT.report(new long[] {150, 110, 140},
                new long[] {0, 0, 0, 12, 16, 24, 24, 24, 44, 80, 80, 96}, 0.87);
        assertEquals(0.12207791167152672, r.classPsi(), 1e-12);
        assertEquals(0.02674283338631392, r.confidencePsi(), 1e-12);
        assertEquals(0.06, r.ks(), 1e-12);
        assertEquals(0.2551034730969641, r.ksPValue(), 1e-9);
        assertEquals(2.667066226143445e-08, r.classPsiPValue(), 1e-15);
        assertEquals(0.46931928235305576, r.confidencePsiPValue(), 1e-9);
        assertEquals(Drift.Level.MODERATE, r.level());
        assertEquals("Moderate drift: traffic is predicted 'frog' 1.7x as often as on validation (35% vs 20%), and"
                + " confidence fell from 0.90 to 0.87 — watch it, and collect some labels to check accuracy.", r.verdict());
    }

    @Test
    void aStrongShiftWithAnEmptyReferenceBin() {
        Drift.Report r = DRIFT.report(new long[] {100, 60, 240}, new long[] {8, 12, 40, 40, 40, 40, 40, 40, 40, 40, 40, 20},
                0.62);
        assertEquals(0.7167037876912219, r.classPsi(), 1e-12);
        assertEquals(1.86963887375738, r.confidencePsi(), 1e-12);
        assertEquals(0.45, r.ks(), 1e-12);
        assertEquals(1.1141771116389452e-50, r.ksPValue(), 1e-60);
        assertEquals(3.421482033276338e-45, r.classPsiPValue(), 1e-52);
        assertEquals(Drift.Level.SHIFT, r.level());
        assertEquals("Shift: traffic is predicted 'frog' 3.0x as often as on validation (60% vs 20%), and confidence fell"
                + " from 0.90 to 0.62 — check the inputs or collect labels and repair.", r.verdict());
    }

    /** The rule of thumb alone called 154 in-distribution predictions "moderate drift"; chance explains their PSI. */
    @Test
    void aLargePsiOnFewPredictionsIsWithinChance() {
        double[] even = new double[10];
        java.util.Arrays.fill(even, 0.1);
        Profile ten = new Profile(1000, even, Profile.EDGES, REF.confidenceShare(), 0.8, 0.9);
        Drift tenClasses = new Drift(ten, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        Drift.Report r = tenClasses.report(new long[] {24, 9, 19, 11, 20, 9, 17, 12, 22, 11},
                new long[] {0, 0, 0, 3, 5, 8, 8, 8, 15, 31, 31, 45}, 0.9);
        assertEquals(0.12318829654017037, r.classPsi(), 1e-12);
        assertEquals(0.05825484186026885, r.classPsiPValue(), 1e-9);
        assertEquals(Drift.Level.STABLE, r.level());
        assertTrue(r.verdict().contains("PSI 0.123 is within what chance gives over 154 predictions (p 0.058)"),
                r.verdict());
    }

    @Test
    void aFallingClassIsNamedWithHowMuchLessOften() {
        Drift.Report r = DRIFT.report(new long[] {20, 90, 90}, new long[] {0, 0, 0, 4, 6, 10, 10, 10, 20, 40, 40, 60}, 0.95);
        assertEquals(Drift.Level.SHIFT, r.level());
        assertTrue(r.verdict().startsWith("Shift: traffic is predicted 'cat' 5.0x less often than on validation"
                + " (10% vs 50%), and confidence rose from 0.90 to 0.95"), r.verdict());
    }

    @Test
    void belowTheMinimumThereIsNoJudgement() {
        Drift.Report r = DRIFT.report(new long[] {0, 0, 50}, new long[] {50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0.05);
        assertEquals(Drift.Level.INSUFFICIENT, r.level());
        assertTrue(r.classPsi() > 1, "the numbers are still computed: " + r);
        assertEquals("Not enough traffic to judge drift yet: 50 predictions, 100 needed.", r.verdict());
        assertEquals(Drift.Level.SHIFT, new Drift(REF, List.of("cat", "dog", "frog"), 50)
                .report(new long[] {0, 0, 50}, new long[] {50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0.05).level());
        Drift.Report none = DRIFT.report(new long[3], new long[12], Double.NaN);
        assertEquals(Drift.Level.INSUFFICIENT, none.level());
        assertTrue(Double.isNaN(none.classPsi()));
    }

    @Test
    void countsThatDoNotFitTheProfileAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DRIFT.report(new long[] {1, 2}, new long[12], 0.5));
        assertTrue(e.getMessage().contains("must have 3 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DRIFT.report(new long[] {1, 2, 3}, new long[12], 0.5));
        assertTrue(e.getMessage().contains("6 predictions by class but 0 by confidence bin"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Drift(REF, List.of("cat")));
    }

    @Test
    void kolmogorovSurvivalMatchesScipy() {
        // scipy.stats.kstwobign.sf(x) for x = 0.5, 1.0, 1.36, 2.0
        assertEquals(0.9639452436648751, Drift.kolmogorovSurvival(0.5), 1e-12);
        assertEquals(0.26999967167735456, Drift.kolmogorovSurvival(1.0), 1e-12);
        assertEquals(0.049485876755377876, Drift.kolmogorovSurvival(1.36), 1e-12);
        assertEquals(6.709252557796953e-4, Drift.kolmogorovSurvival(2.0), 1e-15);
    }
}
