package dev.tuneup.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.data.Image;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Golden values per op with forced parameters on tiny hand-made images. */
class AugmentOpsTest {
    /** 2x3 gray: 1 2 3 / 4 5 6. */
    private static final Image G23 = new Image(2, 3, 1, new byte[] {1, 2, 3, 4, 5, 6});

    private static byte[] px(Image im) {
        return im.pixels();
    }

    @Test
    void flips() {
        assertArrayEquals(new byte[] {3, 2, 1, 6, 5, 4}, px(new Geometric.Flip(true).apply(G23, null)));
        assertArrayEquals(new byte[] {4, 5, 6, 1, 2, 3}, px(new Geometric.Flip(false).apply(G23, null)));
    }

    @Test
    void cropWithEachPadding() {
        Geometric.Crop zero = new Geometric.Crop(2, 3, 1, Warp.PadMode.ZERO);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 1, 2}, px(zero.apply(G23, new Geometric.Offset(0, 0))));
        Geometric.Crop reflect = new Geometric.Crop(2, 3, 1, Warp.PadMode.REFLECT);
        assertArrayEquals(new byte[] {5, 4, 5, 2, 1, 2}, px(reflect.apply(G23, new Geometric.Offset(0, 0))));
        Geometric.Crop edge = new Geometric.Crop(2, 3, 1, Warp.PadMode.EDGE);
        assertArrayEquals(new byte[] {5, 6, 6, 5, 6, 6}, px(edge.apply(G23, new Geometric.Offset(2, 2))));
    }

    @Test
    void cropOffsetsCoverEveryPosition() {
        Geometric.Crop crop = new Geometric.Crop(2, 3, 2, Warp.PadMode.ZERO);
        SplittableRandom rng = new SplittableRandom(1);
        boolean[][] seen = new boolean[5][5];
        for (int i = 0; i < 500; i++) {
            Geometric.Offset o = crop.sample(G23, rng);
            seen[o.top()][o.left()] = true;
        }
        for (boolean[] row : seen) {
            for (boolean s : row) {
                assertTrue(s);
            }
        }
    }

    @Test
    void centerCropAndResize() {
        assertArrayEquals(new byte[] {2, 5}, px(new Geometric.CenterCrop(2, 1).apply(G23, null)));
        assertEquals(4, new Geometric.ResizeTo(4, 6).apply(G23, null).height());
    }

    @Test
    void resizedCropTakesTheWindowThenResizes() {
        Image im = new Image(4, 4, 1, new byte[] {0, 0, 0, 0, 0, 9, 9, 0, 0, 9, 9, 0, 0, 0, 0, 0});
        Geometric.ResizedCrop rc = new Geometric.ResizedCrop(1, 1, 0.25, 0.25, 1, 1);
        assertArrayEquals(new byte[] {9}, px(rc.apply(im, new Geometric.Window(1, 1, 2, 2))));
        Geometric.Window w = rc.sample(im, new SplittableRandom(3));
        assertEquals(2, w.height());
        assertEquals(2, w.width());
    }

    @Test
    void colourFunctionsOnOnePixel() {
        Image rgb = new Image(1, 1, 3, new byte[] {100, (byte) 150, (byte) 200});
        assertArrayEquals(new byte[] {(byte) 155, 105, 55}, px(ColorFns.invert(rgb)));
        assertArrayEquals(new byte[] {96, (byte) 128, (byte) 192}, px(ColorFns.posterize(rgb, 3)));
        assertArrayEquals(new byte[] {100, (byte) 105, (byte) 55}, px(ColorFns.solarize(rgb, 150)));
        // 0.2989*100 + 0.587*150 + 0.114*200 = 140.58 -> 140
        assertArrayEquals(new byte[] {(byte) 140, (byte) 140, (byte) 140}, px(ColorFns.grayscale(rgb)));
        assertArrayEquals(new byte[] {(byte) 130, (byte) 195, (byte) 255}, px(ColorFns.brightness(rgb, 1.3f)));
        assertArrayEquals(px(rgb), px(ColorFns.hue(rgb, 0f)));
        assertArrayEquals(px(rgb), px(ColorFns.hue(rgb, 1f)), "a whole turn is no change");
    }

    @Test
    void equalizeAndAutocontrastStretchTheRange() {
        Image g = new Image(1, 4, 1, new byte[] {10, 20, 30, 40});
        assertArrayEquals(new byte[] {0, 85, (byte) 170, (byte) 255}, px(ColorFns.autocontrast(g)));
        // torchvision's rule: step = (pixels - count of the top value) / 255; 4 pixels give step 0, no change.
        assertArrayEquals(px(g), px(ColorFns.equalize(g)));
        byte[] two = new byte[510];
        java.util.Arrays.fill(two, 0, 255, (byte) 10);
        java.util.Arrays.fill(two, 255, 510, (byte) 200);
        Image eq = ColorFns.equalize(new Image(1, 510, 1, two));
        assertEquals(0, eq.get(0, 0, 0));
        assertEquals(255, eq.get(0, 509, 0));
        Image flat = new Image(1, 2, 1, new byte[] {7, 7});
        assertArrayEquals(px(flat), px(ColorFns.autocontrast(flat)));
        assertArrayEquals(px(flat), px(ColorFns.equalize(flat)));
    }

    @Test
    void eraseFillsTheBox() {
        Image im = new Image(3, 3, 1, new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1});
        Erase e = new Erase(0.1, 0.5, 0.5, 2, Erase.Fill.CONSTANT, 9);
        assertArrayEquals(new byte[] {1, 1, 1, 1, 9, 9, 1, 9, 9}, px(e.apply(im, new Erase.Box(1, 1, 2, 2, 0))));
        Erase mean = new Erase(0.1, 0.5, 0.5, 2, Erase.Fill.MEAN, 0);
        assertArrayEquals(new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, px(mean.apply(im, new Erase.Box(0, 0, 1, 1, 0))));
        Erase.Box b = e.sample(new Image(32, 32, 3, new byte[32 * 32 * 3]), new SplittableRandom(2));
        double frac = b.height() * b.width() / 1024.0;
        assertTrue(frac >= 0.05 && frac <= 0.7, "area fraction " + frac);
    }

    @Test
    void noiseAndBlurAreDeterministicGivenTheirParameters() {
        Image im = new Image(4, 4, 3, new byte[48]);
        Photometric.Noise n = new Photometric.Noise(0.1);
        assertArrayEquals(px(n.apply(im, 5L)), px(n.apply(im, 5L)));
        assertNotEquals(java.util.Arrays.toString(px(n.apply(im, 5L))), java.util.Arrays.toString(px(n.apply(im, 6L))));
        Image one = new Image(3, 3, 1, new byte[] {0, 0, 0, 0, 90, 0, 0, 0, 0});
        Image blurred = Filters.gaussianBlur(one, 3, 1.0);
        assertTrue(blurred.get(1, 1, 0) < 90 && blurred.get(0, 0, 0) > 0);
    }

    @Test
    void policyMagnitudeTablesMatchTorchvision() {
        double[] shear = Policies.magnitudes(PolicyOp.SHEAR_X, 31, 32, 32, false);
        assertEquals(0.09, shear[9], 1e-12);
        assertArrayEquals(new double[] {8, 8, 8, 8, 7, 7, 7, 7, 7, 7, 7, 7, 6, 6, 6, 6, 6, 6, 6, 5, 5, 5, 5, 5, 5, 5,
            5, 4, 4, 4, 4}, Policies.magnitudes(PolicyOp.POSTERIZE, 31, 32, 32, false));
        assertEquals(150.0 / 331.0 * 32, Policies.magnitudes(PolicyOp.TRANSLATE_X, 31, 32, 32, false)[30], 1e-12);
        assertEquals(135, Policies.magnitudes(PolicyOp.ROTATE, 31, 32, 32, true)[30], 1e-12);
    }

    @Test
    void policiesDrawValidChoices() {
        Image im = new Image(8, 8, 3, new byte[192]);
        SplittableRandom rng = new SplittableRandom(4);
        Policies.RandAugment ra = new Policies.RandAugment(2, 9, 31);
        for (int i = 0; i < 50; i++) {
            List<Policies.Choice> c = ra.sample(im, rng);
            assertEquals(2, c.size());
            assertEquals(8, ra.apply(im, c).height());
            assertTrue(new Policies.TrivialAugment(31).sample(im, rng).size() == 1);
            assertTrue(new Policies.AutoAugment("cifar10").sample(im, rng).size() <= 2);
            Policies.MixParams m = new Policies.AugMix(3, 3, -1, 1).sample(im, rng);
            assertEquals(1, java.util.Arrays.stream(m.weights()).sum(), 1e-9);
            assertEquals(3, m.chains().size());
        }
    }

    @Test
    void betaAndGammaHaveTheRightMeans() {
        SplittableRandom rng = new SplittableRandom(8);
        double sumBeta = 0;
        double sumGamma = 0;
        for (int i = 0; i < 20000; i++) {
            sumBeta += Filters.beta(2, 6, rng);
            sumGamma += Filters.gamma(0.5, rng);
        }
        assertEquals(0.25, sumBeta / 20000, 0.01);
        assertEquals(0.5, sumGamma / 20000, 0.02);
    }
}
