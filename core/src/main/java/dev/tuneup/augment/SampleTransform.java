package dev.tuneup.augment;

import dev.tuneup.data.Image;
import java.util.SplittableRandom;

/**
 * A per-image transform, run by {@link dev.tuneup.loader.BatchLoader} on its worker threads; a {@link
 * Pipeline} is the usual one. It must draw all randomness from {@code rng}, which the loader seeds from
 * (seed, epoch, image index), so batches are identical for any number of workers.
 */
@FunctionalInterface
public interface SampleTransform {
    Image apply(Image image, SplittableRandom rng);
}
