package dev.tuneup.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import org.junit.jupiter.api.Test;

/**
 * McNemar p-values against scipy 1.10.1: {@code binomtest(min(b, c), b + c, 0.5).pvalue} below 25 discordant
 * pairs, {@code chi2.sf(max(0, |b - c| - 1)**2 / (b + c), 1)} from 25 on.
 */
class McNemarTest {
    @Test
    void exactBinomialBelowTwentyFivePairs() {
        // b=10, c=2: 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 2 * (1 + 12 + 66) / 4096 = 158/4096
        assertExact(10, 2, 0.03857421875);
        // b=6, c=1: 2 * (1 + 7) / 128 = 0.125
        assertExact(6, 1, 0.125);
        // b=0, c=3: 2 * 1/8 = 0.25
        assertExact(0, 3, 0.25);
        // b=c: the doubled tail exceeds 1 and is capped
        assertExact(5, 5, 1.0);
        assertExact(12, 12, 1.0);
        assertExact(0, 0, 1.0);
        // b=24, c=0: 2 / 2^24
        assertExact(24, 0, 2 / Math.pow(2, 24));
    }

    @Test
    void continuityCorrectedChiSquaredFromTwentyFivePairs() {
        // (30-5-1)^2/35 = 576/35 = 16.457142857142856
        assertChi(30, 5, 4.976233487907417e-05);
        // (20-8-1)^2/28 = 121/28 = 4.321428571428571
        assertChi(20, 8, 0.03763531378731436);
        // (40-20-1)^2/60 = 361/60 = 6.016666666666667
        assertChi(40, 20, 0.014171388254012323);
        // (100-60-1)^2/160 = 1521/160 = 9.50625
        assertChi(100, 60, 0.002047732153668759);
        // (300-200-1)^2/500 = 9801/500 = 19.602
        assertChi(300, 200, 9.53693139989851e-06);
        // |13-12| - 1 = 0: statistic 0, p = 1
        assertChi(13, 12, 1.0);
        // the series branch (statistic/2 < 1.5): (14-11-1)^2/25 = 0.16, scipy chi2.sf(0.16, 1)
        assertChi(14, 11, 0.6891565167793516);
    }

    @Test
    void worseMeansMoreBrokenThanFixed() {
        assertTrue(McNemar.test(30, 5).candidateWorse());
        assertFalse(McNemar.test(5, 30).candidateWorse());
        assertFalse(McNemar.test(7, 7).candidateWorse());
        assertThrows(TuneupException.class, () -> McNemar.test(-1, 3));
    }

    static void assertExact(int b, int c, double p) {
        McNemar m = McNemar.test(b, c);
        assertTrue(m.exact());
        assertEquals(p, m.pValue(), 1e-15, "b=" + b + " c=" + c);
    }

    static void assertChi(int b, int c, double p) {
        McNemar m = McNemar.test(b, c);
        assertFalse(m.exact());
        assertEquals(p, m.pValue(), p * 1e-10, "b=" + b + " c=" + c);
    }
}
