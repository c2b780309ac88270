package dev.tuneup.loader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tuneup.augment.BatchMix;
import dev.tuneup.augment.Pipeline;
import dev.tuneup.augment.SampleTransform;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.Subsets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Batches of an {@link ImageSet} for training or evaluation. Per epoch the order is a shuffle
 * seeded by (seed, epoch); batch {@code b} holds positions {@code b*size ..} of that order. Each image
 * gets its own RNG seeded by (seed, epoch, image index) for the {@link SampleTransform}, so the same
 * seed gives bit-identical batches whatever the number of workers. Workers assemble up to
 * {@code prefetch} batches ahead, each into one pooled direct buffer that becomes one NDArray.
 */
public final class BatchLoader implements AutoCloseable {
    private final ImageSet set;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int prefetch;
    private final SampleTransform transform;
    private final Pipeline.Views views;
    private final int rows;
    private final BatchMix mix;
    private final boolean channelsLast;
    private final float[][] table;
    private final int outHeight;
    private final int outWidth;
    private final ExecutorService workers;
    private final ConcurrentLinkedQueue<ByteBuffer> pool = new ConcurrentLinkedQueue<>();
    private long waitNanos;

    private BatchLoader(Builder b) {
        this.set = b.set;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
        this.prefetch = Math.max(1, b.prefetch);
        this.views = b.transform instanceof Pipeline p ? p.views() : null;
        this.transform = views == null ? b.transform : views.clean();
        this.rows = views == null ? 1 : Pipeline.Views.COUNT;
        this.mix = b.mix;
        if (views != null && mix != null) {
            throw new IllegalArgumentException("batch mixing and jsd views do not combine");
        }
        this.channelsLast = b.channelsLast;
        if (channelsLast && mix != null) {
            throw new IllegalArgumentException("batch mixing works on NCHW batches; build the loader without channelsLast");
        }
        Normalization norm = b.normalization != null ? b.normalization : Normalization.unit(set.channels());
        if (norm.channels() != set.channels()) {
            throw new IllegalArgumentException("normalisation has " + norm.channels() + " channels, the images have "
                    + set.channels());
        }
        this.table = norm.table();
        int[] out = b.transform instanceof Pipeline p ? p.outputSize(set.height(), set.width())
                : new int[] {set.height(), set.width()};
        this.outHeight = b.outHeight > 0 ? b.outHeight : out[0];
        this.outWidth = b.outWidth > 0 ? b.outWidth : out[1];
        this.workers = b.workers == 0 ? null : Executors.newFixedThreadPool(b.workers, r -> {
            Thread t = new Thread(r, "tuneup-loader");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder(ImageSet set) {
        return new Builder(set);
    }

    public ImageSet set() {
        return set;
    }

    public int batchSize() {
        return batchSize;
    }

    public int batchesPerEpoch() {
        return dropLast ? set.size() / batchSize : (set.size() + batchSize - 1) / batchSize;
    }

    /** Total time the consumer has waited for a batch that was not ready yet, in nanoseconds. */
    public long waitNanos() {
        return waitNanos;
    }

    /**
     * The batches of {@code epoch}; arrays are created in sub-managers of {@code manager}. Close
     * each batch when done with it.
     */
    public Iterator<Batch> epoch(int epoch, NDManager manager) {
        return epoch(epoch, manager, 0);
    }

    /**
     * The batches of {@code epoch} from batch {@code first} on (resuming mid-epoch): the skipped
     * batches are not assembled, and the rest are exactly those an uninterrupted epoch gives.
     */
    public Iterator<Batch> epoch(int epoch, NDManager manager, int first) {
        if (first < 0 || first > batchesPerEpoch()) {
            throw new IllegalArgumentException("first batch " + first + " is outside 0.." + batchesPerEpoch());
        }
        int[] order = order(epoch);
        return new Iterator<>() {
            private final ArrayDeque<Future<Assembled>> ahead = new ArrayDeque<>();
            private int submitted = first;
            private int taken = first;

            @Override
            public boolean hasNext() {
                return taken < batchesPerEpoch();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                while (workers != null && submitted < batchesPerEpoch() && ahead.size() < prefetch) {
                    int b = submitted++;
                    ahead.add(workers.submit(() -> assemble(order, epoch, b)));
                }
                Assembled a;
                if (workers == null) {
                    a = assemble(order, epoch, taken);
                } else {
                    long t0 = System.nanoTime();
                    a = await(ahead.poll());
                    waitNanos += System.nanoTime() - t0;
                }
                taken++;
                return toBatch(a, manager);
            }
        };
    }

    /** The image order of {@code epoch}: a seeded shuffle, or 0..n-1 without shuffling. */
    int[] order(int epoch) {
        int[] order = new int[set.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Subsets.shuffle(order, new SplittableRandom(seedFor(seed, epoch, -1)));
        }
        return order;
    }

    private record Assembled(ByteBuffer buffer, int[] indices, int[] labels, float[] targets) {
    }

    private Assembled assemble(int[] order, int epoch, int b) {
        int from = b * batchSize;
        int n = Math.min(batchSize, order.length - from);
        int c = set.channels();
        int plane = outHeight * outWidth;
        int bytes = rows * n * c * plane * Float.BYTES;
        ByteBuffer buf = pool.poll();
        if (buf == null || buf.capacity() < bytes) {
            buf = ByteBuffer.allocateDirect(rows * batchSize * c * plane * Float.BYTES).order(ByteOrder.nativeOrder());
        }
        buf.clear().limit(bytes);
        FloatBuffer out = buf.asFloatBuffer();
        float[] chw = new float[c * plane];
        int[] idx = new int[n];
        int[] labels = new int[n];
        for (int k = 0; k < n; k++) {
            int i = order[from + k];
            idx[k] = i;
            labels[k] = set.label(i);
            Image im = set.image(i);
            SplittableRandom rng = transform == null ? null : new SplittableRandom(seedFor(seed, epoch, i));
            if (rng != null) {
                im = checked(transform.apply(im, rng), c);
            }
            write(im.pixels(), chw, plane, c);
            out.put(k * chw.length, chw);
            for (int v = 1; v < rows; v++) { // views imply a transform (the clean part): drawn from the same stream
                write(checked(views.augment().apply(im, rng), c).pixels(), chw, plane, c);
                out.put((v * n + k) * chw.length, chw);
            }
        }
        float[] targets = null;
        if (set.hasTargets()) { // soft targets: the rows train on them instead of their labels
            int k = set.numClasses();
            targets = new float[n * k];
            for (int r = 0; r < n; r++) {
                set.writeTarget(idx[r], targets, r * k);
            }
        }
        if (mix != null) {
            float[] all = new float[n * c * plane];
            out.rewind();
            out.get(all);
            BatchMix.Draw draw = mix.draw(outHeight, outWidth, new SplittableRandom(seedFor(seed, epoch, -2L - b)));
            targets = targets != null ? BatchMix.apply(draw, all, n, c, outHeight, outWidth, targets, set.numClasses())
                    : BatchMix.apply(draw, all, n, c, outHeight, outWidth, labels, set.numClasses());
            out.rewind();
            out.put(all);
        }
        return new Assembled(buf, idx, labels, targets);
    }

    private Image checked(Image t, int c) {
        if (t.height() != outHeight || t.width() != outWidth || t.channels() != c) {
            throw new IllegalStateException("transform gave " + t.height() + "x" + t.width() + "x"
                    + t.channels() + ", the loader emits " + outHeight + "x" + outWidth + "x" + c);
        }
        return t;
    }

    /** Normalised CHW floats of HWC bytes (HWC floats for a channels-last loader); 1 or 3 channels. */
    private void write(byte[] px, float[] chw, int plane, int c) {
        float[] t0 = table[0];
        if (c == 1) { // one plane: the same either way
            for (int q = 0; q < plane; q++) {
                chw[q] = t0[px[q] & 0xFF];
            }
            return;
        }
        float[] t1 = table[1];
        float[] t2 = table[2];
        if (channelsLast) {
            for (int q = 0; q < chw.length; q += 3) {
                chw[q] = t0[px[q] & 0xFF];
                chw[q + 1] = t1[px[q + 1] & 0xFF];
                chw[q + 2] = t2[px[q + 2] & 0xFF];
            }
            return;
        }
        for (int p = 0, q = 0; p < plane; p++, q += 3) {
            chw[p] = t0[px[q] & 0xFF];
            chw[plane + p] = t1[px[q + 1] & 0xFF];
            chw[2 * plane + p] = t2[px[q + 2] & 0xFF];
        }
    }

    private Batch toBatch(Assembled a, NDManager parent) {
        NDManager m = parent.newSubManager();
        int n = a.indices.length;
        NDArray data = channelsLast
                ? m.create(a.buffer, new Shape((long) rows * n, outHeight, outWidth, set.channels()), DataType.FLOAT32)
                        .transpose(0, 3, 1, 2)
                : m.create(a.buffer, new Shape((long) rows * n, set.channels(), outHeight, outWidth), DataType.FLOAT32);
        NDArray labels = m.create(a.labels);
        NDArray targets = a.targets == null ? null : m.create(a.targets, new Shape(n, set.numClasses()));
        return new Batch(m, data, labels, targets, a.indices, a.labels, rows, views == null ? 0 : views.weight(),
                () -> pool.offer(a.buffer));
    }

    private static Assembled await(Future<Assembled> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("batch assembly failed", e.getCause());
        }
    }

    /** SplitMix64-style mixing of (seed, epoch, index) into one well-spread seed. */
    static long seedFor(long seed, long epoch, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
        pool.clear();
    }

    /** Loader settings; defaults: batch 128, shuffled, last partial batch kept, 2 workers, 4 ahead. */
    public static final class Builder {
        private final ImageSet set;
        private int batchSize = 128;
        private boolean shuffle = true;
        private boolean dropLast;
        private long seed;
        private int workers = 2;
        private int prefetch = 4;
        private SampleTransform transform;
        private BatchMix mix;
        private boolean channelsLast;
        private Normalization normalization;
        private int outHeight;
        private int outWidth;

        private Builder(ImageSet set) {
            this.set = set;
        }

        public Builder batchSize(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        public Builder shuffle(boolean on) {
            this.shuffle = on;
            return this;
        }

        public Builder dropLast(boolean on) {
            this.dropLast = on;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Background threads assembling batches; 0 assembles on the caller's thread. */
        public Builder workers(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("workers must be >= 0, got " + n);
            }
            this.workers = n;
            return this;
        }

        /** How many batches may be assembled ahead of the consumer (bounds memory). */
        public Builder prefetch(int n) {
            this.prefetch = n;
            return this;
        }

        /** The per-image transform; a {@link Pipeline} also sets the output size. */
        public Builder transform(SampleTransform t) {
            this.transform = t;
            return this;
        }

        /** Mixup / cutmix on assembled batches; batches then carry soft {@link Batch#targets()}. */
        public Builder mix(BatchMix m) {
            this.mix = m;
            return this;
        }

        /**
         * Batches in torch's channels-last memory format: still (N, C, H, W), laid out NHWC (a
         * permuted view of NHWC data; DJL has no memory-format argument). oneDNN's convolutions and
         * libtorch's pooling then run without reordering: about 1.5x faster inference for the CNN
         * (docs/benchmarks.md). The values are the same; not with {@link #mix}.
         */
        public Builder channelsLast(boolean on) {
            this.channelsLast = on;
            return this;
        }

        public Builder normalization(Normalization n) {
            this.normalization = n;
            return this;
        }

        /** The image size the transform produces (default: the set's size). */
        public Builder outputSize(int height, int width) {
            this.outHeight = height;
            this.outWidth = width;
            return this;
        }

        public BatchLoader build() {
            return new BatchLoader(this);
        }
    }
}
