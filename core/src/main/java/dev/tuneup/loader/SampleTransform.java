package dev.tuneup.loader;

import dev.tuneup.data.Image;
import java.util.SplittableRandom;

/**
 * A per-image transform run on the loader's worker threads (augmentation plugs in here). It must
 * draw all randomness from {@code rng}, which the loader seeds from (seed, epoch, image index), so
 * batches are identical for any number of workers.
 */
@FunctionalInterface
public interface SampleTransform {
    Image apply(Image image, SplittableRandom rng);
}
