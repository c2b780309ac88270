package dev.tuneup.evaluate;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Profile;
import dev.tuneup.data.ImageSet;
import java.util.Locale;

/**
 * Fits the temperature of a trained model on validation images and profiles its outputs, for its
 * bundle: what {@code tuneup train} and {@code finetune} do before writing the bundle.
 *
 * @param temperature the fitted {@code T}
 * @param profile     the validation outputs at {@code T}, as a server applying the bundle's temperature sees them
 */
public record Calibrate(double temperature, double eceBefore, double eceAfter, double nllBefore, double nllAfter,
                        Profile profile) {
    public static final int BINS = 15;

    /** Fits {@code T} on {@code val} with {@code model} preprocessed as {@code info} says, and profiles it there. */
    public static Calibrate fit(Block model, ModelBundle.Info info, ImageSet val, NDManager manager) {
        float[][] logits = new Predictor(new ModelBundle.Loaded(null, model, info.withTemperature(1.0)), manager, 256)
                .logits(val);
        int[] labels = val.labels();
        double t = Temperature.fit(logits, labels);
        float[][] calibrated = Temperature.softmax(logits, t);
        Evaluation before = Evaluation.of(Temperature.softmax(logits, 1), labels, info.classes(), BINS, 0, 0);
        Evaluation after = Evaluation.of(calibrated, labels, info.classes(), BINS, 0, 0);
        return new Calibrate(t, before.calibration().ece(), after.calibration().ece(), before.nll(), after.nll(),
                Profile.of(calibrated, labels));
    }

    /** {@code info} with the fitted temperature and the profile, ready for the bundle. */
    public ModelBundle.Info applyTo(ModelBundle.Info info) {
        return info.withTemperature(temperature).withProfile(profile);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "temperature %.3f fitted on validation data: ECE %.4f -> %.4f, NLL %.4f -> %.4f",
                temperature, eceBefore, eceAfter, nllBefore, nllAfter);
    }
}
