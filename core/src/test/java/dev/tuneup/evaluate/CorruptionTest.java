package dev.tuneup.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every corruption at every severity: determinism, shape, seeds, and change that grows with severity. */
class CorruptionTest {
    private static final ImageSet RGB = fixtures(32, 32, 3, 16);
    private static final ImageSet GRAY = fixtures(28, 28, 1, 16);

    /**
     * Real-looking structured images: smooth gradients, hard edges, stripes of several frequencies,
     * a disk and fine texture, kept mostly in mid tones so brightness and fog have room to act.
     */
    static ImageSet fixtures(int h, int w, int c, int n) {
        byte[][] images = new byte[n][];
        int[] labels = new int[n];
        String[] sources = new String[n];
        SplittableRandom rng = new SplittableRandom(7);
        for (int k = 0; k < n; k++) {
            byte[] p = new byte[h * w * c];
            double fx = 0.2 + 0.15 * (k % 4);
            double fy = 0.1 + 0.1 * (k % 3);
            double cx = w * (0.3 + 0.4 * rng.nextDouble());
            double cy = h * (0.3 + 0.4 * rng.nextDouble());
            double radius = Math.min(h, w) * (0.15 + 0.15 * rng.nextDouble());
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean disk = (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius;
                    boolean edge = (k % 2 == 0 ? x : y) > (k % 2 == 0 ? w : h) / 2;
                    for (int ch = 0; ch < c; ch++) {
                        double v = 60 + 90.0 * (x + ch * y) / (w + h)
                                + 30 * Math.sin(fx * x + ch) * Math.cos(fy * y)
                                + (edge ? 25 : -10) + (disk ? (ch == k % c ? 60 : -30) : 0)
                                + 12 * (rng.nextDouble() - 0.5);
                        p[(y * w + x) * c + ch] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                    }
                }
            }
            images[k] = p;
            labels[k] = k % 2;
            sources[k] = "fixture#" + k;
        }
        return new ImageSet(h, w, c, List.of("a", "b"), images, labels, sources);
    }

    /** Mean absolute difference per value between two sets of the same shape. */
    static double distance(ImageSet a, ImageSet b) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < a.size(); i++) {
            byte[] p = a.pixels(i);
            byte[] q = b.pixels(i);
            for (int j = 0; j < p.length; j++) {
                sum += Math.abs((p[j] & 0xFF) - (q[j] & 0xFF));
            }
            count += p.length;
        }
        return sum / count;
    }

    @Test
    void everyCorruptionAtEverySeverityIsDeterministicKeepsShapeAndGrowsWithSeverity() {
        StringBuilder table = new StringBuilder();
        List<String> failures = new ArrayList<>();
        for (Corruption c : Corruption.values()) {
            for (ImageSet clean : List.of(RGB, GRAY)) {
                byte[][] before = copy(clean);
                double[] d = new double[Corruption.MAX_SEVERITY + 1];
                for (int s = 1; s <= Corruption.MAX_SEVERITY; s++) {
                    ImageSet once = Corruptions.apply(clean, c, s, 42);
                    ImageSet twice = Corruptions.apply(clean, c, s, 42);
                    String what = c.id() + " severity " + s + " on " + clean.channels() + " channel(s)";
                    assertEquals(once.contentHash(), twice.contentHash(), what + ": same seed, same bytes");
                    assertEquals(clean.height(), once.height(), what);
                    assertEquals(clean.width(), once.width(), what);
                    assertEquals(clean.channels(), once.channels(), what);
                    assertArrayEquals(clean.labels(), once.labels(), what);
                    ImageSet other = Corruptions.apply(clean, c, s, 43);
                    if (c.random()) {
                        assertNotEquals(once.contentHash(), other.contentHash(), what + ": another seed differs");
                    } else {
                        assertEquals(once.contentHash(), other.contentHash(), what + ": deterministic, seed unused");
                    }
                    d[s] = distance(clean, once);
                }
                for (int i = 0; i < clean.size(); i++) {
                    assertArrayEquals(before[i], clean.pixels(i), c.id() + " must not modify its input");
                }
                table.append(String.format(Locale.ROOT, "%-18s %dch %s%n", c.id(), clean.channels(),
                        Arrays.toString(Arrays.stream(d, 1, d.length).map(v -> Math.round(v * 100) / 100.0).toArray())));
                checkGrowth(c, clean.channels(), d, failures);
            }
        }
        System.out.print(table);
        assertTrue(failures.isEmpty(), String.join("\n", failures) + "\n" + table);
    }

    private static void checkGrowth(Corruption c, int channels, double[] d, List<String> failures) {
        String what = c.id() + " on " + channels + " channel(s): " + Arrays.toString(d);
        if (c == Corruption.INVERT) {
            for (int s = 2; s <= Corruption.MAX_SEVERITY; s++) {
                if (d[s] != d[1]) {
                    failures.add(what + ": invert has one level");
                }
            }
            if (d[1] < 50) {
                failures.add(what + ": invert changes the image");
            }
            return;
        }
        if (c == Corruption.SATURATE && channels == 1) {
            if (Arrays.stream(d).anyMatch(v -> v != 0)) {
                failures.add(what + ": saturate leaves gray images unchanged");
            }
            return;
        }
        if (d[1] < 0.3) {
            failures.add(what + ": severity 1 changes too little to measure");
        }
        for (int s = 2; s <= Corruption.MAX_SEVERITY; s++) {
            if (d[s] <= d[s - 1] * 1.01) {
                failures.add(what + ": severity " + s + " is not clearly stronger than " + (s - 1));
            }
        }
    }

    @Test
    void parallelResultsEqualSequentialOnes() {
        for (Corruption c : Corruption.values()) {
            ImageSet par = Corruptions.apply(RGB, c, 3, 5);
            for (int i = 0; i < RGB.size(); i++) {
                Image seq = c.apply(RGB.image(i), 3, Corruptions.rng(5, c, 3, i));
                assertArrayEquals(seq.pixels(), par.pixels(i), c.id() + " image " + i);
            }
        }
    }

    @Test
    void severitiesOutsideOneToFiveAreRejected() {
        Image im = RGB.image(0);
        for (int s : new int[] {0, 6, -1}) {
            TuneupException e = assertThrows(TuneupException.class,
                    () -> Corruption.BRIGHTNESS.apply(im, s, new SplittableRandom(1)));
            assertTrue(e.getMessage().contains("outside 1..5"), e.getMessage());
        }
    }

    @Test
    void tinyAndOddSizedImagesWork() {
        for (int[] shape : new int[][] {{1, 1, 1}, {3, 5, 3}, {8, 8, 1}, {33, 40, 3}}) {
            ImageSet set = fixtures(shape[0], shape[1], shape[2], 2);
            for (Corruption c : Corruption.values()) {
                ImageSet out = Corruptions.apply(set, c, 5, 1);
                assertEquals(set.imageBytes(), out.pixels(1).length, c.id() + " " + Arrays.toString(shape));
            }
        }
    }

    private static byte[][] copy(ImageSet set) {
        byte[][] out = new byte[set.size()][];
        for (int i = 0; i < set.size(); i++) {
            out[i] = set.pixels(i).clone();
        }
        return out;
    }
}
