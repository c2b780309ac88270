package dev.tuneup.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.bundle.Profile;
import dev.tuneup.data.ImageSet;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Calibration's profile is what the calibrated bundle predicts on the validation images, counted by hand. */
class CalibrateTest {
    @Test
    void theProfileCountsTheCalibratedPredictions() {
        ModelSpec spec = new ModelSpec("cnn", 0, 1, List.of(4), 3, "max", List.of(8), Activations.Kind.RELU,
                Norms.Kind.BATCH, 0, 0, 3, 8, 8, 3);
        SplittableRandom rng = new SplittableRandom(11);
        int n = 40;
        byte[][] px = new byte[n][8 * 8 * 3];
        int[] labels = new int[n];
        String[] sources = new String[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < px[i].length; j++) {
                px[i][j] = (byte) rng.nextInt(256);
            }
            labels[i] = i % 3;
            sources[i] = "img" + i;
        }
        ImageSet val = new ImageSet(8, 8, 3, List.of("a", "b", "c"), px, labels, sources);
        Normalization norm = new Normalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
        ModelBundle.Info info = new ModelBundle.Info(Networks.Spec.of(spec), val.classes(), Preprocessing.of(8, 8, norm),
                Map.of());
        try (NDManager m = NDManager.newBaseManager()) {
            Block model = Networks.create(spec, m, 5);
            Calibrate cal = Calibrate.fit(model, info, val, m);
            ModelBundle.Info calibrated = cal.applyTo(info);
            assertEquals(cal.temperature(), calibrated.preprocessing().temperature());
            float[][] p = new Predictor(new ModelBundle.Loaded(null, model, calibrated), m, 16).probabilities(val);
            Profile profile = calibrated.profile();
            double[] classes = new double[3];
            double[] bins = new double[Profile.EDGES.length - 1];
            double correct = 0;
            for (int i = 0; i < n; i++) {
                int top = p[i][0] >= p[i][1] && p[i][0] >= p[i][2] ? 0 : p[i][1] >= p[i][2] ? 1 : 2;
                classes[top] += 1.0 / n;
                bins[profile.confidenceBin(p[i][top])] += 1.0 / n;
                correct += top == labels[i] ? 1 : 0;
            }
            assertEquals(n, profile.n());
            assertArrayEquals(classes, profile.classShare(), 1e-9);
            assertArrayEquals(bins, profile.confidenceShare(), 1e-9);
            assertEquals(correct / n, profile.accuracy(), 1e-12);
        }
    }
}
