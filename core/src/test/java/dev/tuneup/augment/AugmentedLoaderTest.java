package dev.tuneup.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneup.data.ImageSet;
import dev.tuneup.loader.Batch;
import dev.tuneup.loader.BatchLoader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Augmentation inside the loader: identical batches for any worker count, soft targets with mixing. */
class AugmentedLoaderTest {
    static ImageSet images(int n, int side) {
        SplittableRandom rng = new SplittableRandom(3);
        byte[][] px = new byte[n][side * side * 3];
        int[] lb = new int[n];
        String[] src = new String[n];
        for (int i = 0; i < n; i++) {
            rng.nextBytes(px[i]);
            lb[i] = i % 4;
            src[i] = "i" + i;
        }
        return new ImageSet(side, side, 3, List.of("a", "b", "c", "d"), px, lb, src);
    }

    private static List<float[]> epoch(AugmentSpec.Parsed spec, ImageSet set, int workers, NDManager m) {
        List<float[]> out = new ArrayList<>();
        try (BatchLoader loader = BatchLoader.builder(set).batchSize(6).seed(9).workers(workers)
                .transform(spec.pipeline()).mix(spec.mix()).build()) {
            Iterator<Batch> it = loader.epoch(1, m);
            while (it.hasNext()) {
                try (Batch b = it.next()) {
                    out.add(b.data().toFloatArray());
                    if (spec.mix() != null) {
                        out.add(b.targets().toFloatArray());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void bitIdenticalForAnyWorkerCount() {
        ImageSet set = images(20, 16);
        AugmentSpec.Parsed spec = AugmentSpec.parse("resizedcrop(12) | hflip | randaugment(n=2,m=9) | "
                + "colorjitter(0.2,0.2,0.2) | erase(p=0.5) | augmix(p=0.3) | mix(mixup=0.8,cutmix=1)");
        try (NDManager m = NDManager.newBaseManager()) {
            List<float[]> ref = epoch(spec, set, 0, m);
            for (int workers : new int[] {1, 2, 3}) {
                List<float[]> got = epoch(spec, set, workers, m);
                assertEquals(ref.size(), got.size());
                for (int i = 0; i < ref.size(); i++) {
                    assertArrayEquals(ref.get(i), got.get(i), 0f, workers + " workers, array " + i);
                }
            }
        }
    }

    @Test
    void mixingGivesSoftTargetsOfTheRightShape() {
        ImageSet set = images(8, 8);
        try (NDManager m = NDManager.newBaseManager();
             BatchLoader loader = BatchLoader.builder(set).batchSize(4).mix(AugmentSpec.parse("mixup(0.4)").mix()).build();
             Batch b = loader.epoch(0, m).next()) {
            assertNotNull(b.targets());
            assertEquals(new Shape(4, 4), b.targets().getShape());
            float[] t = b.targets().toFloatArray();
            for (int k = 0; k < 4; k++) {
                assertEquals(1f, t[4 * k] + t[4 * k + 1] + t[4 * k + 2] + t[4 * k + 3], 1e-6f);
            }
        }
        try (NDManager m = NDManager.newBaseManager();
             BatchLoader plain = BatchLoader.builder(set).batchSize(4).build();
             Batch b = plain.epoch(0, m).next()) {
            assertNull(b.targets());
        }
    }

    @Test
    void thePipelineSetsTheBatchSize() {
        ImageSet set = images(4, 16);
        try (NDManager m = NDManager.newBaseManager();
             BatchLoader loader = BatchLoader.builder(set).batchSize(4)
                     .transform(AugmentSpec.parse("crop(12) | hflip").pipeline()).build();
             Batch b = loader.epoch(0, m).next()) {
            assertEquals(new Shape(4, 3, 12, 12), b.data().getShape());
        }
    }

    @Test
    void jsdEmitsTheCleanViewThenTwoAugmentedViewsOfIt() {
        ImageSet set = images(5, 8);
        try (NDManager m = NDManager.newBaseManager();
             BatchLoader views = BatchLoader.builder(set).batchSize(4).seed(2)
                     .transform(AugmentSpec.parse("hflip | jsd(weight=6) | invert").pipeline()).build();
             BatchLoader clean = BatchLoader.builder(set).batchSize(4).seed(2)
                     .transform(AugmentSpec.parse("hflip").pipeline()).build()) {
            Iterator<Batch> vi = views.epoch(0, m);
            Iterator<Batch> ci = clean.epoch(0, m);
            for (int n : new int[] {4, 1}) { // a full batch and the last partial one
                try (Batch v = vi.next(); Batch c = ci.next()) {
                    assertEquals(n, v.size());
                    assertEquals(3, v.views());
                    assertEquals(6.0, v.consistencyWeight());
                    assertEquals(new Shape(3L * n, 3, 8, 8), v.data().getShape());
                    float[] d = v.data().toFloatArray();
                    float[] ref = c.data().toFloatArray();
                    int per = ref.length;
                    for (int q = 0; q < per; q++) {
                        assertEquals(ref[q], d[q], 0f, "the clean view is the pipeline before jsd");
                        assertEquals(1f - ref[q], d[per + q], 1e-6f, "view 1 is the clean view inverted");
                        assertEquals(1f - ref[q], d[2 * per + q], 1e-6f, "view 2 too");
                    }
                }
            }
            assertEquals(1, ci.hasNext() ? 0 : 1);
        }
    }
}
