package dev.tuneup.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tuneup.augment.AugmentSpec;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.ImageSet;
import dev.tuneup.track.RunDir;
import dev.tuneup.workflow.CrossFitting;
import dev.tuneup.workflow.Reporter;
import dev.tuneup.workflow.Sessions;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** K-fold cross-fitting: stratified folds, and every image scored by a model that never saw it. */
class CrossFitTest {
    @TempDir
    Path dir;

    /** 3 classes of 8x8 gray images: a bright bar in the top, middle or bottom rows. */
    static ImageSet bars(int perClass, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 3 * perClass;
        byte[][] px = new byte[n][64];
        int[] labels = new int[n];
        String[] src = new String[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    px[i][y * 8 + x] = (byte) ((Math.min(2, y / 3) == c ? 170 : 40) + rng.nextInt(50));
                }
            }
            labels[i] = c;
            src[i] = "bar" + i;
        }
        return new ImageSet(8, 8, 1, List.of("top", "middle", "bottom"), px, labels, src);
    }

    @Test
    void foldsAreStratifiedAndEven() {
        ImageSet s = bars(20, 1);
        int[] f = CrossFit.folds(s, 4, 7);
        int[][] count = new int[4][3];
        for (int i = 0; i < f.length; i++) {
            count[f[i]][s.label(i)]++;
        }
        for (int[] row : count) {
            for (int c : row) {
                assertEquals(5, c);
            }
        }
    }

    @Test
    void everyImageIsScoredOutOfSample() {
        ImageSet train = bars(16, 2);
        RunConfig c = ConfigLoader.load(null, List.of("data.channels=1", "model.conv_widths=[4]", "model.dense_widths=[8]",
                "training.epochs=3", "training.batch_size=8", "training.workers=0", "training.restore_best=false",
                "schedule=onecycle(max=0.05)"));
        Sessions.Images images = new Sessions.Images("bars", train, bars(4, 3), null, AugmentSpec.parse(""));
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] p = CrossFitting.outOfSample(c.resolve(), images, 3, RunDir.create(dir, "cf"), m, Reporter.silent());
            assertEquals(train.size(), p.length);
            int right = 0;
            for (int i = 0; i < p.length; i++) {
                assertNotNull(p[i], "row " + i);
                float sum = 0;
                int best = 0;
                for (int j = 0; j < 3; j++) {
                    sum += p[i][j];
                    best = p[i][j] > p[i][best] ? j : best;
                }
                assertEquals(1, sum, 1e-4);
                right += best == train.label(i) ? 1 : 0;
            }
            assertTrue(right > p.length * 0.6, "held-out accuracy " + right + "/" + p.length);
        }
    }

    @Test
    void foldsCanFineTuneFromABase() {
        dev.tuneup.model.ModelSpec spec = new dev.tuneup.model.ModelSpec("cnn", 0, 1, List.of(4), 3, "max", List.of(8),
                dev.tuneup.model.Activations.Kind.RELU, dev.tuneup.model.Norms.Kind.BATCH, 0, 0, 1, 8, 8, 3);
        Path base = dir.resolve("base");
        try (NDManager m = NDManager.newBaseManager()) {
            dev.tuneup.bundle.ModelBundle.write(base, dev.tuneup.model.Networks.create(spec, m, 1),
                    new dev.tuneup.bundle.ModelBundle.Info(dev.tuneup.model.Networks.Spec.of(spec),
                            List.of("x", "y", "z"), dev.tuneup.bundle.Preprocessing.of(8, 8,
                            dev.tuneup.loader.Normalization.unit(1)), java.util.Map.of()));
        }
        ImageSet train = bars(8, 4);
        RunConfig c = ConfigLoader.load(null, List.of("data.channels=1", "training.epochs=2", "training.batch_size=8",
                "training.workers=0", "training.restore_best=false", "finetune.base=" + base,
                "finetune.recipe=linear_probe", "finetune.lr=0.05"));
        Sessions.Images images = new Sessions.Images("bars", train, bars(3, 5), null, AugmentSpec.parse(""));
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] p = CrossFitting.outOfSample(c.resolve(), images, 2, RunDir.create(dir, "cfb"), m, Reporter.silent());
            assertEquals(train.size(), p.length);
            for (float[] row : p) {
                assertNotNull(row);
                assertEquals(3, row.length);
            }
        }
    }
}
