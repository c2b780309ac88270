package dev.tuneup.augment;

import dev.tuneup.data.Image;
import java.util.SplittableRandom;

/** An op without random parameters: {@link #apply(Image)} is all it does. */
interface FixedOp extends ImageOp<Void> {
    Image apply(Image image);

    @Override
    default Void sample(Image image, SplittableRandom rng) {
        return null;
    }

    @Override
    default Image apply(Image image, Void params) {
        return apply(image);
    }

    @Override
    default boolean isRandom() {
        return false;
    }
}
