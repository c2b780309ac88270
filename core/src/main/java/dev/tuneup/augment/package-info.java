/**
 * Data augmentation on the compact uint8 images of the input pipeline. Every {@link
 * dev.tuneup.augment.ImageOp} splits drawing its parameters (from an RNG passed in) from applying
 * them (deterministic), and prints itself in the spec language that {@link
 * dev.tuneup.augment.AugmentSpec} parses: {@code crop(32,pad=4,mode=reflect) | hflip |
 * randaugment(n=2,m=9) | erase(p=0.25)}. A {@link dev.tuneup.augment.Pipeline} is the loader's
 * {@link dev.tuneup.augment.SampleTransform} (defined here, below the loader, which depends on this
 * package and never the reverse); {@link dev.tuneup.augment.BatchMix} mixes whole
 * batches (mixup, cutmix) with soft targets. Pixel arithmetic follows torchvision's tensor
 * functions (computed in float, clamped, truncated to uint8), checked against it in tests.
 */
package dev.tuneup.augment;
