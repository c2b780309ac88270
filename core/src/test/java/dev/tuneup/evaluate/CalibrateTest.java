package dev.tuneup.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.tuneup.bundle.BundleTest;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.bundle.Profile;
import dev.tuneup.data.ImageSet;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Networks;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Calibration's profile is what the calibrated bundle predicts on the validation images, counted by hand. */
class CalibrateTest {
    @Test
    void theProfileCountsTheCalibratedPredictions() {
        int n = 40;
        ImageSet val = BundleTest.images(n, 11);
        Normalization norm = new Normalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
        ModelBundle.Info info = new ModelBundle.Info(Networks.Spec.of(BundleTest.SPEC), val.classes(), Preprocessing.of(8, 8, norm),
                Map.of());
        try (NDManager m = NDManager.newBaseManager()) {
            Block model = Networks.create(BundleTest.SPEC, m, 5);
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
                correct += top == val.label(i) ? 1 : 0;
            }
            assertEquals(n, profile.n());
            assertArrayEquals(classes, profile.classShare(), 1e-9);
            assertArrayEquals(bins, profile.confidenceShare(), 1e-9);
            assertEquals(correct / n, profile.accuracy(), 1e-12);
        }
    }
}
