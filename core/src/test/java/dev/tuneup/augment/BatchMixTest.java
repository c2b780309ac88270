package dev.tuneup.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchMixTest {
    @Test
    void mixupBlendsMirroredImagesAndTargets() {
        float[] data = {0, 0, 10, 10}; // two 1x1x2 "images": [0,0] and [10,10]
        float[] t = BatchMix.apply(new BatchMix.Draw(0.75, false, 0, 0, 0, 0), data, 2, 1, 1, 2, new int[] {0, 2}, 3);
        assertArrayEquals(new float[] {2.5f, 2.5f, 7.5f, 7.5f}, data, 1e-6f);
        assertArrayEquals(new float[] {0.75f, 0, 0.25f, 0.25f, 0, 0.75f}, t, 1e-6f);
    }

    @Test
    void cutmixSwapsTheBoxAndLamIsItsArea() {
        BatchMix cut = new BatchMix(0, 1.0, 1, 0.5);
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {
            BatchMix.Draw d = cut.draw(8, 8, rng);
            assertTrue(d.cutmix());
            assertEquals(1 - (d.y1() - d.y0()) * (d.x1() - d.x0()) / 64.0, d.lam(), 1e-12);
        }
        float[] data = new float[2 * 4];
        java.util.Arrays.fill(data, 4, 8, 1f); // image 0 all 0, image 1 all 1 (1 channel, 2x2)
        BatchMix.apply(new BatchMix.Draw(0.75, true, 0, 1, 0, 1), data, 2, 1, 2, 2, new int[] {0, 1}, 2);
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 1, 1}, data);
    }

    @Test
    void oddBatchMiddleKeepsItsLabelAndTargetsSumToOne() {
        float[] data = new float[3];
        float[] t = BatchMix.apply(new BatchMix.Draw(0.6, false, 0, 0, 0, 0), data, 3, 1, 1, 1, new int[] {0, 1, 2}, 3);
        assertArrayEquals(new float[] {0, 1, 0}, java.util.Arrays.copyOfRange(t, 3, 6), 1e-6f);
        for (int k = 0; k < 3; k++) {
            assertEquals(1f, t[3 * k] + t[3 * k + 1] + t[3 * k + 2], 1e-6f);
        }
    }

    @Test
    void probabilityZeroNeverMixesAndSwitchChoosesBetweenThem() {
        BatchMix never = new BatchMix(0.2, 0, 0, 0.5);
        assertEquals(1.0, never.draw(4, 4, new SplittableRandom(1)).lam());
        BatchMix both = new BatchMix(0.2, 1.0, 1, 0.5);
        SplittableRandom rng = new SplittableRandom(2);
        int cuts = 0;
        for (int i = 0; i < 2000; i++) {
            cuts += both.draw(8, 8, rng).cutmix() ? 1 : 0;
        }
        assertEquals(0.5, cuts / 2000.0, 0.05);
    }
}
