/**
 * The input pipeline: {@link dev.tuneup.loader.BatchLoader} shuffles an in-memory
 * {@link dev.tuneup.data.ImageSet} per epoch from a seed, assembles whole batches (optional
 * per-sample transform, then normalisation fused into the uint8-to-float conversion, HWC to CHW) on
 * background worker threads into pooled direct buffers, and hands each to the engine as one NDArray
 * in a per-batch {@code NDManager} that {@link dev.tuneup.loader.Batch#close()} releases.
 */
package dev.tuneup.loader;
