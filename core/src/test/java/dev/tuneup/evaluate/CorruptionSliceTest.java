package dev.tuneup.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tuneup.data.ImageSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Slices corrupted apart with their offsets give the whole set's corruption, image for image. */
class CorruptionSliceTest {
    @Test
    void slicesWithTheirOffsetsEqualTheWholeSet() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 23;
        byte[][] px = new byte[n][10 * 10 * 3];
        for (byte[] p : px) {
            for (int j = 0; j < p.length; j++) {
                p[j] = (byte) rng.nextInt(256);
            }
        }
        ImageSet set = new ImageSet(10, 10, 3, List.of("a", "b"), px, new int[n], new String[n]);
        for (String id : new String[] {"gaussian_noise", "shot_noise", "pixelate", "rotate"}) {
            Corruption c = Corruption.byId(id);
            ImageSet whole = Corruptions.apply(set, c, 3, 9);
            boolean sameAsUnshifted = true;
            for (int first = 0; first < n; first += 7) {
                int[] idx = IntStream.range(first, Math.min(n, first + 7)).toArray();
                ImageSet slice = Corruptions.apply(set.subset(idx), c, 3, 9, first, () -> { });
                ImageSet unshifted = Corruptions.apply(set.subset(idx), c, 3, 9);
                for (int i = 0; i < idx.length; i++) {
                    assertArrayEquals(whole.pixels(idx[i]), slice.pixels(i), id + " image " + idx[i]);
                    sameAsUnshifted &= first == 0 || java.util.Arrays.equals(whole.pixels(idx[i]), unshifted.pixels(i));
                }
            }
            if (!id.equals("pixelate")) { // pixelate draws nothing: the offset cannot matter
                assertFalse(sameAsUnshifted, id + ": slices without their offsets should draw other noise");
            }
        }
    }
}
