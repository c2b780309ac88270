package dev.tuneup.loader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One assembled batch: {@code data} is float32 {@code (N, C, H, W)}, {@code labels} int32 {@code (N)},
 * both in a manager of their own. {@link #close()} frees their native memory and returns the buffer
 * to the loader's pool, so the arrays (and any views of them) are valid until then. Arrays created
 * from them by operations land in {@link #manager()} and are freed with it.
 */
public final class Batch implements AutoCloseable {
    private final NDManager manager;
    private final NDArray data;
    private final NDArray labels;
    private final NDArray targets;
    private final int[] indices;
    private final int[] labelValues;
    private final Runnable onClose;
    private final int views;
    private final double consistencyWeight;
    private boolean closed;

    Batch(NDManager manager, NDArray data, NDArray labels, NDArray targets, int[] indices, int[] labelValues,
          int views, double consistencyWeight, Runnable onClose) {
        this.views = views;
        this.consistencyWeight = consistencyWeight;
        this.manager = manager;
        this.data = data;
        this.labels = labels;
        this.targets = targets;
        this.indices = indices;
        this.labelValues = labelValues;
        this.onClose = onClose;
    }

    public NDManager manager() {
        return manager;
    }

    public NDArray data() {
        return data;
    }

    public NDArray labels() {
        return labels;
    }

    /**
     * Soft targets, float32 {@code (N, classes)}, when the loader mixes batches (mixup/cutmix) or its set
     * carries soft targets ({@code ImageSet.withTargets}); null otherwise (use {@link #labels()}).
     */
    public NDArray targets() {
        return targets;
    }

    /** Images in the batch (data has {@link #views()} rows per image). */
    public int size() {
        return indices.length;
    }

    /**
     * Rows of {@link #data()} per image: 1, or with a {@code jsd} augmentation 3: rows {@code 0..n} are the
     * clean views (the ones {@link #labels()} describe), then the first and the second augmented view of
     * each image in the same order.
     */
    public int views() {
        return views;
    }

    /** The weight of the Jensen-Shannon consistency term over the views; 0 with one view. */
    public double consistencyWeight() {
        return consistencyWeight;
    }

    /** Indices of this batch's images in the loader's {@code ImageSet}. */
    public int[] indices() {
        return indices.clone();
    }

    /** The labels as Java ints. */
    public int[] labelValues() {
        return labelValues.clone();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
            onClose.run();
        }
    }
}
