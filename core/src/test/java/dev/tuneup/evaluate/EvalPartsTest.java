package dev.tuneup.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import dev.tuneup.data.ImageSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Temperature scaling, OOD scores and AUROC, TTA views and class alignment, against PyTorch / scikit-learn values. */
class EvalPartsTest {
    static final float[][] Z = {{2.0f, 0.5f, -1.0f}, {0.1f, 0.2f, 0.3f}, {-1.0f, 3.0f, 0.0f}, {1.0f, 1.0f, 1.0f}};
    static final int[] Y = {0, 2, 1, 0};

    @Test
    void nllMatchesTorchCrossEntropyAndTheFitIsItsMinimum() {
        // torch.nn.functional.cross_entropy(z.double() / T, labels) with Debian's python3-torch 1.13
        assertEquals(0.5160674339077803, Temperature.nll(Z, Y, 0.5), 1e-12);
        assertEquals(0.6019375828015037, Temperature.nll(Z, Y, 1.0), 1e-12);
        assertEquals(0.7455972975160959, Temperature.nll(Z, Y, 2.0), 1e-12);
        // all right but one tie: sharper is always better, so the fit stops at the bound
        assertEquals(0.05, Temperature.fit(Z, Y), 1e-6);
        float[][] z2 = {{2.0f, 0.5f, -1.0f}, {0.1f, 0.2f, 0.3f}, {-1.0f, 3.0f, 0.0f}, {0.0f, 3.0f, 0.0f}};
        double t = Temperature.fit(z2, Y);
        double best = Temperature.nll(z2, Y, t);
        assertTrue(t > 0.06 && t < 19, "an interior optimum: " + t);
        for (double d : new double[] {0.99, 1.01}) {
            assertTrue(Temperature.nll(z2, Y, t * d) >= best, "t=" + t + " is a minimum");
        }
        // overconfident wrong logits want a high temperature; the argmax never changes
        float[][] sure = {{10, 0}, {10, 0}, {0, 10}, {10, 0}};
        int[] half = {0, 1, 1, 1};
        assertTrue(Temperature.fit(sure, half) > 3);
        float[][] p = Temperature.softmax(sure, 5);
        assertTrue(p[0][0] > p[0][1] && p[0][0] < 0.9);
    }

    @Test
    void energyIsLogSumExpAndAurocMatchesScikitLearn() {
        // torch.logsumexp(z, 1)
        assertArrayEquals(new double[] {2.241311296657157, 1.3019428540442477, 3.0658839037574293, 2.09861228866811},
                Ood.energy(Z), 1e-6);
        double[] msp = Ood.msp(Z);
        assertEquals(1.0 / 3, msp[3], 1e-7);
        // sklearn.metrics.roc_auc_score([1]*7 + [0]*6, in + out); a tie (0.4 vs 0.4) is absent here
        double[] in = {3.0, -1.6, 1.4, 0.4, 0.5, 0.8, -1.0};
        double[] out = {-0.2, -0.9, 3.3, 0.2, -0.4, -0.3};
        assertEquals(0.5952380952380952, Ood.auroc(in, out), 1e-12);
        assertEquals(0.5, Ood.auroc(new double[] {1, 1}, new double[] {1}), 1e-12, "ties count half");
        assertEquals(1.0, Ood.auroc(new double[] {2, 3}, new double[] {0, 1}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Ood.auroc(new double[0], new double[] {1}));
    }

    static ImageSet tiny() {
        // two 2x3 gray images whose pixels are their indices
        byte[][] px = {{0, 1, 2, 3, 4, 5}, {10, 11, 12, 13, 14, 15}};
        return new ImageSet(2, 3, 1, List.of("a", "b", "c"), px, new int[] {0, 2}, new String[] {"x", "y"});
    }

    @Test
    void ttaViewsAreTheImageItsMirrorAndShiftedCrops() {
        ImageSet s = tiny();
        assertEquals(1, Tta.NONE.views(s).size());
        List<ImageSet> flip = Tta.FLIP.views(s);
        assertEquals(2, flip.size());
        assertArrayEquals(new byte[] {2, 1, 0, 5, 4, 3}, flip.get(1).pixels(0));
        assertEquals(10, Tta.FLIP_CROPS.views(s).size());
        // shifted by one row and column down-right with reflection: source (y+1, x+1) reflected at the border
        ImageSet shifted = Tta.map(s, 1, 1, false);
        assertArrayEquals(new byte[] {4, 5, 4, 1, 2, 1}, shifted.pixels(0));
        assertEquals(Tta.FLIP_CROPS, Tta.parse("flip-crops"));
        assertThrows(TuneupException.class, () -> Tta.parse("rotate"));
    }

    @Test
    void alignmentMapsByNameAndCountsUnknownClasses() {
        ImageSet s = new ImageSet(2, 3, 1, List.of("Cat", "zebra", "dog"), new byte[][] {tiny().pixels(0), tiny().pixels(1),
                tiny().pixels(0)},
                new int[] {0, 1, 2}, new String[] {"1", "2", "3"});
        Aligned a = Aligned.of(s, List.of("dog", "cat"), Map.of());
        assertEquals(2, a.known().size());
        assertArrayEquals(new int[] {1, 0}, a.known().labels());
        assertEquals(Map.of("zebra", 1), a.unknown());
        Aligned mapped = Aligned.of(s, List.of("dog", "cat"), Map.of("zebra", "dog"));
        assertEquals(3, mapped.known().size());
        assertThrows(TuneupException.class, () -> Aligned.of(s, List.of("dog", "cat"), Map.of("zebra", "horse")));

        ImageSet rgb = Aligned.conform(tiny(), dev.tuneup.data.Fit.resize(4, 6), 3);
        assertEquals(4 * 6 * 3, rgb.pixels(0).length);
        assertEquals(rgb.pixels(1)[0], rgb.pixels(1)[1], "gray repeated into R, G and B");
        ImageSet same = tiny();
        assertTrue(Aligned.conform(same, dev.tuneup.data.Fit.resize(2, 3), 1) == same, "nothing to do: the same set");
    }
}
