package dev.tuneup.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden values counted by hand on six examples, bootstrap behaviour, and input errors. */
class EvaluationTest {
    static final List<String> CLASSES = List.of("cat", "dog", "bird");
    /*
     * ex  true  probabilities (cat, dog, bird)  predicted  confidence
     *  0  cat   0.5    0.25   0.25              cat        0.5
     *  1  cat   0.75   0.125  0.125             cat        0.75
     *  2  cat   0.25   0.625  0.125             dog        0.625
     *  3  dog   0.125  0.875  0                 dog        0.875
     *  4  dog   0.5    0.375  0.125             cat        0.5
     *  5  bird  0.25   0.5    0.25              dog        0.5
     * Bird is never predicted: its precision is 0 (scikit-learn's zero division).
     */
    static final float[][] P = {
        {0.5f, 0.25f, 0.25f}, {0.75f, 0.125f, 0.125f}, {0.25f, 0.625f, 0.125f},
        {0.125f, 0.875f, 0f}, {0.5f, 0.375f, 0.125f}, {0.25f, 0.5f, 0.25f}};
    static final int[] Y = {0, 0, 0, 1, 1, 2};

    static Evaluation handExample(int samples) {
        return Evaluation.of(P, Y, CLASSES, 4, samples, 7);
    }

    @Test
    void handCountedGoldenValues() {
        Evaluation e = handExample(0);
        double tol = 1e-12;
        assertEquals(6, e.n());
        assertEquals(3 / 6.0, e.accuracy(), tol); // examples 0, 1, 3
        // Confusion: cat -> 2 cat, 1 dog; dog -> 1 cat, 1 dog; bird -> 1 dog.
        assertEquals(new ConfusionMatrix(new int[][] {{2, 1, 0}, {1, 1, 0}, {0, 1, 0}}), e.confusion());
        // cat: P = 2/3 (predicted 0, 1, 4), R = 2/3, F1 = 2/3.
        // dog: P = 1/3 (predicted 2, 3, 5), R = 1/2, F1 = 2 (1/3)(1/2) / (5/6) = 2/5.
        // bird: P = 0 (never predicted), R = 0/1, F1 = 0.
        assertClass(e.perClass().get(0), "cat", 2 / 3.0, 2 / 3.0, 2 / 3.0, 3);
        assertClass(e.perClass().get(1), "dog", 1 / 3.0, 1 / 2.0, 2 / 5.0, 2);
        assertClass(e.perClass().get(2), "bird", 0, 0, 0, 1);
        assertEquals(e.perClass().get(1), e.classMetrics("dog"));
        // macro: P = (2/3 + 1/3 + 0)/3 = 1/3, R = (2/3 + 1/2 + 0)/3 = 7/18, F1 = (2/3 + 2/5 + 0)/3 = 16/45.
        assertEquals(1 / 3.0, e.macro().precision(), tol);
        assertEquals(7 / 18.0, e.macro().recall(), tol);
        assertEquals(16 / 45.0, e.macro().f1(), tol);
        // weighted by support 3, 2, 1: P = (2 + 2/3)/6 = 4/9, R = (2 + 1)/6 = 1/2, F1 = (2 + 4/5)/6 = 7/15.
        assertEquals(4 / 9.0, e.weighted().precision(), tol);
        assertEquals(1 / 2.0, e.weighted().recall(), tol);
        assertEquals(7 / 15.0, e.weighted().f1(), tol);
        // top-2 (k = min(5, 3 - 1)): true-class rank 0, 0, 1, 0, 1, and 2 for example 5, whose bird (0.25)
        // ties with cat (0.25) and the tie goes to the lower index: 5/6.
        assertEquals(2, e.topK());
        assertEquals(5 / 6.0, e.topKAccuracy(), tol);
        // Brier per example: .375, .09375, .96875, .03125, .65625, .875 -> sum 3, mean 0.5.
        assertEquals(0.5, e.brier(), tol);
        // NLL: -ln of p_true; example 3's 0 is clipped to 2^-52, so its row sums to 1 + 2^-52 after clipping.
        double nll = -(Math.log(0.5) + Math.log(0.75) + Math.log(0.25) + Math.log(0.875 / (1 + Math.ulp(1.0)))
                + Math.log(0.375) + Math.log(0.25)) / 6;
        assertEquals(nll, e.nll(), tol);
    }

    @Test
    void handCountedCalibration() {
        Calibration c = handExample(0).calibration();
        double tol = 1e-12;
        // 4 bins: (0, .25], (.25, .5], (.5, .75], (.75, 1].
        // (.25, .5]: ex 0 (right), 4, 5 (wrong) -> conf .5, acc 1/3, gap 1/6
        // (.5, .75]: ex 1 (.75, right), 2 (.625, wrong) -> conf .6875, acc .5, gap .1875
        // (.75, 1]: ex 3 (.875, right) -> gap .125
        assertEquals(4, c.bins().size());
        ReliabilityBin empty = c.bins().get(0);
        assertEquals(0, empty.count());
        assertTrue(Double.isNaN(empty.accuracy()) && Double.isNaN(empty.confidence()));
        assertBin(c.bins().get(1), 0.25, 0.5, 3, 0.5, 1 / 3.0);
        assertBin(c.bins().get(2), 0.5, 0.75, 2, 0.6875, 0.5);
        assertBin(c.bins().get(3), 0.75, 1, 1, 0.875, 1);
        // ECE = (3 * 1/6 + 2 * .1875 + 1 * .125) / 6 = 1/6; MCE = .1875.
        assertEquals(1 / 6.0, c.ece(), tol);
        assertEquals(0.1875, c.mce(), tol);
    }

    @Test
    void bootstrapIsSeededAndBracketsThePointEstimate() {
        Evaluation e = SklearnOracleTest.golden().evaluate(1000, 42);
        Bootstrap b = e.bootstrap();
        assertEquals(1000, b.samples());
        assertEquals(0.95, b.level());
        assertTrue(b.accuracy().contains(e.accuracy()), b.accuracy() + " vs " + e.accuracy());
        assertTrue(b.macroF1().contains(e.macro().f1()), b.macroF1() + " vs " + e.macro().f1());
        assertTrue(b.nll().contains(e.nll()), b.nll() + " vs " + e.nll());
        assertTrue(b.ece().contains(e.calibration().ece()), b.ece() + " vs " + e.calibration().ece());
        // Binomial standard error at n = 200, p ~ .55 is ~.035: a 95% interval ~.14 wide.
        double width = b.accuracy().high() - b.accuracy().low();
        assertTrue(width > 0.09 && width < 0.2, "accuracy interval width " + width);

        assertEquals(e, SklearnOracleTest.golden().evaluate(1000, 42), "same seed, same intervals");
        Evaluation other = SklearnOracleTest.golden().evaluate(1000, 43);
        assertNotEquals(b, other.bootstrap(), "another seed resamples differently");
        assertEquals(e.accuracy(), other.accuracy(), "point estimates do not depend on the seed");
    }

    @Test
    void noBootstrapMeansNoIntervals() {
        Bootstrap b = handExample(0).bootstrap();
        assertEquals(0, b.samples());
        for (Interval i : List.of(b.accuracy(), b.macroF1(), b.nll(), b.ece())) {
            assertEquals(Interval.NONE, i);
            assertTrue(!i.present() && !i.contains(0.5));
        }
    }

    @Test
    void quantileMatchesNumpyLinear() {
        double[] s = {1, 2, 3, 4};
        assertEquals(1.75, Resampler.quantile(s, 0.25), 1e-15); // numpy.percentile([1,2,3,4], 25)
        assertEquals(3.925, Resampler.quantile(s, 0.975), 1e-15);
        assertEquals(1, Resampler.quantile(s, 0), 0);
        assertEquals(4, Resampler.quantile(s, 1), 0);
    }

    @Test
    void badInputIsAClearError() {
        assertError("4 probability rows but 6 labels", () -> Evaluation.of(new float[4][3], Y, CLASSES, 4, 0, 1));
        assertError("label 2 is 3, outside the 3 classes", () -> Evaluation.of(P, new int[] {0, 0, 3, 1, 1, 2},
                CLASSES, 4, 0, 1));
        assertError("label 0 is -1", () -> Evaluation.of(P, new int[] {-1, 0, 0, 1, 1, 2}, CLASSES, 4, 0, 1));
        float[][] nan = copy(P);
        nan[1][2] = Float.NaN;
        assertError("row 1 has NaN", () -> Evaluation.of(nan, Y, CLASSES, 4, 0, 1));
        float[][] logits = copy(P);
        logits[2] = new float[] {2.5f, -1f, 0.3f};
        assertError("row 2 has 2.5", () -> Evaluation.of(logits, Y, CLASSES, 4, 0, 1));
        float[][] unnormalised = copy(P);
        unnormalised[3] = new float[] {0.2f, 0.2f, 0.2f};
        assertError("row 3 sums to 0.6", () -> Evaluation.of(unnormalised, Y, CLASSES, 4, 0, 1));
        float[][] ragged = copy(P);
        ragged[4] = new float[] {0.5f, 0.5f};
        assertError("row 4 has 2 values", () -> Evaluation.of(ragged, Y, CLASSES, 4, 0, 1));
        assertError("no examples", () -> Evaluation.of(new float[0][], new int[0], CLASSES, 4, 0, 1));
        assertError("no labels", () -> Evaluation.of(P, null, CLASSES, 4, 0, 1));
        assertError("at least 2 classes", () -> Evaluation.of(P, Y, List.of("cat"), 4, 0, 1));
        assertError("'cat' appears twice", () -> Evaluation.of(P, Y, List.of("cat", "dog", "cat"), 4, 0, 1));
        assertError("at least 1 bin", () -> Evaluation.of(P, Y, CLASSES, 0, 0, 1));
        assertError("bootstrap samples must be 0 or more", () -> Evaluation.of(P, Y, CLASSES, 4, -1, 1));
        assertError("no class 'horse'", () -> handExample(0).classMetrics("horse"));
    }

    private static void assertError(String part, org.junit.jupiter.api.function.Executable call) {
        TuneupException e = assertThrows(TuneupException.class, call);
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
        assertTrue(!e.fix().isBlank(), "a fix for " + e.getMessage());
    }

    private static float[][] copy(float[][] p) {
        float[][] c = new float[p.length][];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i].clone();
        }
        return c;
    }

    private static void assertClass(ClassMetrics m, String name, double p, double r, double f1, int support) {
        assertEquals(name, m.name());
        assertEquals(p, m.precision(), 1e-12, name + " precision");
        assertEquals(r, m.recall(), 1e-12, name + " recall");
        assertEquals(f1, m.f1(), 1e-12, name + " f1");
        assertEquals(support, m.support(), name + " support");
    }

    private static void assertBin(ReliabilityBin b, double lower, double upper, int count, double conf, double acc) {
        assertEquals(lower, b.lower(), 1e-15);
        assertEquals(upper, b.upper(), 1e-15);
        assertEquals(count, b.count());
        assertEquals(conf, b.confidence(), 1e-12);
        assertEquals(acc, b.accuracy(), 1e-12);
    }
}
