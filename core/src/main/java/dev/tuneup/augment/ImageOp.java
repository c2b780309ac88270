package dev.tuneup.augment;

import dev.tuneup.data.Image;
import java.util.SplittableRandom;

/**
 * One augmentation op. {@link #sample} draws everything random for one image; {@link #apply} is a
 * pure function of the image and those parameters, so tests can force parameters and the loader
 * gets identical results for identical RNG streams. {@link #toString()} prints the op in the spec
 * language, and parsing that string gives an equal op.
 *
 * @param <P> the parameters drawn per image (a record; {@code Void} for deterministic ops)
 */
public interface ImageOp<P> {
    P sample(Image image, SplittableRandom rng);

    Image apply(Image image, P params);

    /** True when {@link #sample} uses the RNG; such ops never appear in an eval pipeline. */
    default boolean isRandom() {
        return true;
    }

    /** The probability a pipeline step with this op gets when the spec gives no {@code p=}. */
    default double defaultProbability() {
        return 1.0;
    }

    /** The output size for an input of {@code height x width}: {@code {height, width}}. */
    default int[] outputSize(int height, int width) {
        return new int[] {height, width};
    }

    /** Draws parameters and applies them. */
    default Image run(Image image, SplittableRandom rng) {
        return apply(image, sample(image, rng));
    }
}
