package dev.tuneup.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tuneup.augment.SampleTransform;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {
    private static NDManager manager;

    @BeforeAll
    static void engine() {
        System.setProperty("ai.djl.offline", "true");
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** n images of h x w x 3; pixel byte k of image i is (7 * i + k) mod 256; label i mod 3. */
    static ImageSet images(int n, int h, int w) {
        byte[][] px = new byte[n][h * w * 3];
        int[] lb = new int[n];
        String[] src = new String[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < px[i].length; k++) {
                px[i][k] = (byte) (7 * i + k);
            }
            lb[i] = i % 3;
            src[i] = "img" + i;
        }
        return new ImageSet(h, w, 3, List.of("a", "b", "c"), px, lb, src);
    }

    @Test
    void batchIsNormalisedChwFloat() {
        ImageSet set = images(3, 1, 2);
        Normalization norm = new Normalization(new float[] {0.5f, 0f, 0f}, new float[] {0.25f, 1f, 2f});
        try (BatchLoader loader = BatchLoader.builder(set).batchSize(2).shuffle(false).workers(0)
                .normalization(norm).build()) {
            Iterator<Batch> it = loader.epoch(0, manager);
            try (Batch b = it.next()) {
                assertEquals(new Shape(2, 3, 1, 2), b.data().getShape());
                assertEquals(DataType.FLOAT32, b.data().getDataType());
                assertArrayEquals(new int[] {0, 1}, b.labels().toIntArray());
                float[] got = b.data().toFloatArray();
                // image 0 bytes (HWC): 0 1 2 | 3 4 5 -> channel 0 holds bytes 0 and 3, channel 1 bytes 1 and 4 ...
                float[] want = {
                    (0 / 255f - 0.5f) / 0.25f, (3 / 255f - 0.5f) / 0.25f, 1 / 255f, 4 / 255f, 2 / 255f / 2, 5 / 255f / 2,
                    (7 / 255f - 0.5f) / 0.25f, (10 / 255f - 0.5f) / 0.25f, 8 / 255f, 11 / 255f, 9 / 255f / 2, 12 / 255f / 2};
                assertArrayEquals(want, got, 1e-6f);
            }
            try (Batch last = it.next()) {
                assertEquals(1, last.size(), "the partial last batch is kept");
                assertEquals(new Shape(1, 3, 1, 2), last.data().getShape());
            }
            assertFalse(it.hasNext());
        }
    }

    @Test
    void softTargetsOfTheSetReachTheBatchAndMixLinearly() {
        ImageSet hard = images(4, 1, 2); // labels 0,1,2,0
        ImageSet set = hard.withTargets(new float[][] {null, {0.2f, 0.8f, 0}, null, null});
        try (BatchLoader loader = BatchLoader.builder(set).batchSize(4).shuffle(false).workers(0).build();
             Batch b = loader.epoch(0, manager).next()) {
            assertArrayEquals(new float[] {1, 0, 0, 0.2f, 0.8f, 0, 0, 0, 1, 1, 0, 0}, b.targets().toFloatArray(), 1e-6f);
            assertArrayEquals(new int[] {0, 1, 2, 0}, b.labels().toIntArray(), "the labels stay");
        }
        try (BatchLoader plain = BatchLoader.builder(hard).batchSize(4).shuffle(false).workers(0).build();
             Batch b = plain.epoch(0, manager).next()) {
            assertEquals(null, b.targets(), "no soft targets, no mixing: labels only");
        }
        // mixup pairs row k with row n-1-k: rows 1 and 2 mix (0.2, 0.8, 0) with (0, 0, 1)
        float[] rows = {1, 0, 0, 0.2f, 0.8f, 0, 0, 0, 1, 1, 0, 0};
        float[] mixed = dev.tuneup.augment.BatchMix.apply(new dev.tuneup.augment.BatchMix.Draw(0.75, false, 0, 0, 0, 0),
                new float[4 * 6], 4, 3, 1, 2, rows, 3);
        assertArrayEquals(new float[] {0.15f, 0.6f, 0.25f}, java.util.Arrays.copyOfRange(mixed, 3, 6), 1e-6f);
        assertArrayEquals(new float[] {0.05f, 0.2f, 0.75f}, java.util.Arrays.copyOfRange(mixed, 6, 9), 1e-6f);
    }

    @Test
    void channelsLastBatchesHoldTheSameValues() {
        ImageSet set = images(5, 3, 4);
        Normalization norm = new Normalization(new float[] {0.5f, 0f, 0.1f}, new float[] {0.25f, 1f, 2f});
        try (BatchLoader plain = BatchLoader.builder(set).batchSize(4).shuffle(false).workers(0).normalization(norm)
                .build();
             BatchLoader last = BatchLoader.builder(set).batchSize(4).shuffle(false).workers(1).normalization(norm)
                     .channelsLast(true).build()) {
            Iterator<Batch> a = plain.epoch(0, manager);
            Iterator<Batch> b = last.epoch(0, manager);
            while (a.hasNext()) {
                try (Batch x = a.next(); Batch y = b.next()) {
                    assertEquals(x.data().getShape(), y.data().getShape());
                    assertArrayEquals(x.data().toFloatArray(), y.data().toFloatArray());
                    assertArrayEquals(x.data().sum(new int[] {0, 2, 3}).toFloatArray(),
                            y.data().sum(new int[] {0, 2, 3}).toFloatArray(), 1e-5f, "per-channel sums");
                }
            }
            assertFalse(b.hasNext());
        }
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.builder(set).channelsLast(true)
                .mix(new dev.tuneup.augment.BatchMix(0.2, 0, 1, 0.5)).build());
    }

    @Test
    void everyImageOncePerEpochInASeededOrder() {
        ImageSet set = images(50, 2, 2);
        try (BatchLoader loader = BatchLoader.builder(set).batchSize(8).seed(3).build()) {
            int[] e0 = seen(loader, 0);
            int[] e1 = seen(loader, 1);
            assertArrayEquals(range(50), Arrays.stream(e0).sorted().toArray());
            assertArrayEquals(range(50), Arrays.stream(e1).sorted().toArray());
            assertFalse(Arrays.equals(e0, e1), "each epoch is shuffled anew");
            assertFalse(Arrays.equals(range(50), e0));
            try (BatchLoader same = BatchLoader.builder(set).batchSize(8).seed(3).build()) {
                assertArrayEquals(e0, seen(same, 0));
            }
        }
    }

    @Test
    void sameBatchesForAnyNumberOfWorkers() {
        ImageSet set = images(37, 4, 4);
        SampleTransform jitter = (im, rng) -> {
            byte[] p = im.pixels().clone();
            int shift = rng.nextInt(100);
            for (int k = 0; k < p.length; k++) {
                p[k] = (byte) (p[k] + shift);
            }
            return new Image(im.height(), im.width(), im.channels(), p);
        };
        List<float[]> reference = null;
        for (int workers : new int[] {0, 1, 2, 3}) {
            try (BatchLoader loader = BatchLoader.builder(set).batchSize(5).seed(11).workers(workers).prefetch(3)
                    .transform(jitter).build()) {
                List<float[]> all = new ArrayList<>();
                for (int epoch = 0; epoch < 2; epoch++) {
                    Iterator<Batch> it = loader.epoch(epoch, manager);
                    while (it.hasNext()) {
                        try (Batch b = it.next()) {
                            all.add(b.data().toFloatArray());
                        }
                    }
                }
                if (reference == null) {
                    reference = all;
                } else {
                    assertEquals(reference.size(), all.size());
                    for (int i = 0; i < all.size(); i++) {
                        assertArrayEquals(reference.get(i), all.get(i), 0f, workers + " workers, batch " + i);
                    }
                }
            }
        }
        // The transform really ran: a different seed gives different pixels.
        try (BatchLoader other = BatchLoader.builder(set).batchSize(5).seed(12).workers(0).transform(jitter).build();
             Batch b = other.epoch(0, manager).next()) {
            assertNotEquals(Arrays.toString(reference.get(0)), Arrays.toString(b.data().toFloatArray()));
        }
    }

    @Test
    void dropLastAndBatchCount() {
        ImageSet set = images(10, 1, 1);
        try (BatchLoader keep = BatchLoader.builder(set).batchSize(4).build();
             BatchLoader drop = BatchLoader.builder(set).batchSize(4).dropLast(true).build()) {
            assertEquals(3, keep.batchesPerEpoch());
            assertEquals(2, drop.batchesPerEpoch());
            assertEquals(8, seen(drop, 0).length);
        }
    }

    @Test
    void closedBatchesLeaveNoNativeArraysBehind() {
        ImageSet set = images(64, 8, 8);
        try (NDManager m = NDManager.newBaseManager();
             BatchLoader loader = BatchLoader.builder(set).batchSize(16).prefetch(2).build()) {
            for (int epoch = 0; epoch < 5; epoch++) {
                Iterator<Batch> it = loader.epoch(epoch, m);
                while (it.hasNext()) {
                    try (Batch b = it.next()) {
                        b.data().mul(2).sum(); // arrays made from the batch land in its manager
                        assertFalse(m.getManagedArrays().isEmpty());
                    }
                }
                assertTrue(m.getManagedArrays().isEmpty(), "epoch " + epoch + " left arrays open");
            }
        }
    }

    @Test
    void prefetchedBatchesAreNotOverwrittenWhileOpen() {
        ImageSet set = images(40, 2, 2);
        try (BatchLoader loader = BatchLoader.builder(set).batchSize(4).shuffle(false).prefetch(4).build()) {
            Iterator<Batch> it = loader.epoch(0, manager);
            Batch first = it.next();
            float[] before = first.data().toFloatArray();
            List<Batch> open = new ArrayList<>();
            while (it.hasNext()) {
                Batch b = it.next();
                b.close(); // returns its buffer to the pool for reuse
                open.add(b);
            }
            assertArrayEquals(before, first.data().toFloatArray(), 0f);
            first.close();
        }
    }

    @Test
    void transformOfTheWrongSizeFailsClearly() {
        ImageSet set = images(4, 4, 4);
        SampleTransform shrink = (im, rng) -> new Image(2, 2, 3, new byte[12]);
        try (BatchLoader loader = BatchLoader.builder(set).batchSize(2).workers(1).transform(shrink).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loader.epoch(0, manager).next());
            assertTrue(e.getMessage().contains("2x2x3"), e.getMessage());
        }
    }

    private static int[] seen(BatchLoader loader, int epoch) {
        List<Integer> idx = new ArrayList<>();
        Iterator<Batch> it = loader.epoch(epoch, manager);
        while (it.hasNext()) {
            try (Batch b = it.next()) {
                for (int i : b.indices()) {
                    idx.add(i);
                }
            }
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
