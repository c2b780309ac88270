package dev.tuneup.augment;

import dev.tuneup.data.Image;

/**
 * A step that changes no pixel but tells the {@link Pipeline} where the rest of it applies:
 * {@link Replay} (skip the rest for a share of the images) and {@link Consistency} (the rest makes
 * the extra views). Random, so never in an eval pipeline, and a size change after one is refused.
 */
sealed interface Marker extends FixedOp permits Replay, Consistency {
    @Override
    default Image apply(Image image) {
        return image;
    }

    @Override
    default boolean isRandom() {
        return true;
    }
}
