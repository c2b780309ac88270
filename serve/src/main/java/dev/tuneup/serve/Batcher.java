package dev.tuneup.serve;

import dev.tuneup.data.ImageSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Dynamic batching: decoded images wait in a bounded queue; each worker takes the oldest, waits up
 * to {@code maxDelayMs} for more (at most {@code maxBatch}) while other requests are still being
 * decoded, drops those whose deadline passed and runs one forward pass for the rest. A lone request
 * never waits for company that is not coming.
 *
 * <p>Admission happens before a request's images are decoded: it is refused at once (503 with
 * {@code Retry-After}) when the queue cannot take it, or when the measured service time says it
 * would start after its deadline. Shedding then costs no decoding, so overload cannot pile up.
 * {@link #close()} stops taking work and finishes everything already queued.
 */
final class Batcher implements AutoCloseable {
    /** One image's answer. */
    record Answer(float[] probabilities, String version, List<String> classes) {
    }

    private record Job(byte[] pixels, long deadline, CompletableFuture<Answer> done) {
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Server.class);
    private final ModelSlot models;
    private final ServeOptions options;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private final List<Thread> workers = new ArrayList<>();
    private final IntConsumer batchSizes;
    private final java.util.concurrent.atomic.AtomicInteger incoming = new java.util.concurrent.atomic.AtomicInteger();
    private volatile double nanosPerImage = Double.NaN; // moving average of forward time per image
    private volatile boolean closing;

    /** @param batchSizes told the size of every batch run (for metrics) */
    Batcher(ModelSlot models, ServeOptions options, IntConsumer batchSizes) {
        this.models = models;
        this.options = options;
        this.room = new Semaphore(options.queueSize());
        this.batchSizes = batchSizes;
        for (int i = 0; i < options.workers(); i++) {
            Thread t = new Thread(this::work, "tuneup-batch-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    /**
     * Admits a request of {@code n} images before they are decoded, or refuses it at once when they
     * cannot fit the queue now or would start after their deadline at the measured service time.
     * An admitted request must be followed by {@link #submit} or {@link #abandon} with the same n.
     */
    void admit(int n) {
        if (closing || room.availablePermits() < n) {
            throw full();
        }
        double perImage = nanosPerImage;
        double wait = (queue.size() + incoming.get() + n) * perImage / options.workers();
        if (wait > TimeUnit.MILLISECONDS.toNanos(options.timeoutMs())) { // NaN (nothing measured yet) admits
            throw new Problem(503, String.format(java.util.Locale.ROOT, "the request would wait about %.0f ms, past its"
                    + " %d ms deadline", wait / 1e6, options.timeoutMs()), "retry later; the server is overloaded",
                    Map.of("Retry-After", "1"));
        }
        incoming.addAndGet(n);
    }

    /**
     * {@code n} admitted images wait for something other than a batch worker (memory to decode in):
     * until {@link #stepIn} they are not counted ahead of later requests, whose deadline estimate would
     * otherwise count images that may never arrive.
     */
    void stepAside(int n) {
        incoming.addAndGet(-n);
    }

    /** Images that stepped aside are being decoded again. */
    void stepIn(int n) {
        incoming.addAndGet(n);
    }

    /** An admitted request whose images could not be decoded. */
    void abandon(int n) {
        incoming.addAndGet(-n);
    }

    private Problem full() {
        return closing ? new Problem(503, "the server is shutting down", "retry against another instance",
                Map.of("Retry-After", "1"))
                : new Problem(503, "the prediction queue is full (" + options.queueSize() + " images)",
                "retry after the Retry-After seconds, or run more instances", Map.of("Retry-After", "1"));
    }

    /** Queues all {@code images} of an admitted request or none: they are answered or refused together. */
    List<CompletableFuture<Answer>> submit(List<byte[]> images) {
        try {
            return enqueue(images);
        } finally {
            incoming.addAndGet(-images.size());
        }
    }

    private List<CompletableFuture<Answer>> enqueue(List<byte[]> images) {
        if (closing || !room.tryAcquire(images.size())) {
            throw full();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.timeoutMs());
        List<CompletableFuture<Answer>> out = new ArrayList<>();
        for (byte[] px : images) {
            Job j = new Job(px, deadline, new CompletableFuture<>());
            out.add(j.done());
            queue.add(j);
        }
        return out;
    }

    /** Images waiting for a worker. */
    int depth() {
        return queue.size();
    }

    private void work() {
        List<Job> batch = new ArrayList<>(options.maxBatch());
        while (true) {
            batch.clear();
            try {
                Job first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.maxDelayMs());
                while (batch.size() < options.maxBatch()) {
                    Job next = queue.poll();
                    long left = until - System.nanoTime();
                    if (next == null && incoming.get() > 0 && left > 0) { // more are being decoded: wait a little
                        next = queue.poll(Math.min(left, 200_000), TimeUnit.NANOSECONDS);
                        if (next == null) {
                            continue;
                        }
                    }
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            room.release(batch.size());
            run(batch);
        }
    }

    private void run(List<Job> batch) {
        long now = System.nanoTime();
        List<Job> live = new ArrayList<>(batch.size());
        for (Job j : batch) {
            if (now > j.deadline()) {
                j.done().completeExceptionally(new Problem(503, "the request waited longer than its " + options.timeoutMs()
                        + " ms deadline before a worker was free", "retry later; the server is overloaded",
                        Map.of("Retry-After", "1")));
            } else {
                live.add(j);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        ServedModel m = models.acquire();
        try {
            batchSizes.accept(live.size());
            long t0 = System.nanoTime();
            float[][] p = m.predictor().probabilities(asSet(m, live));
            double per = (System.nanoTime() - t0) / (double) live.size();
            nanosPerImage = Double.isNaN(nanosPerImage) ? per : 0.8 * nanosPerImage + 0.2 * per;
            for (int i = 0; i < live.size(); i++) {
                live.get(i).done().complete(new Answer(p[i], m.version(), m.info().classes()));
            }
        } catch (RuntimeException e) {
            for (Job j : live) {
                j.done().completeExceptionally(e);
            }
        } catch (OutOfMemoryError e) { // the worker lives on: only this batch fails
            LOG.error("a batch of {} images ran out of memory; answered 503 and still serving", live.size(), e);
            Problem p = new Problem(503, "the server ran out of memory running this batch (" + e.getMessage() + ")",
                    "retry after the Retry-After seconds", Map.of("Retry-After", "1"), "out_of_memory");
            for (Job j : live) {
                j.done().completeExceptionally(p);
            }
        } finally {
            m.release();
        }
    }

    private static ImageSet asSet(ServedModel m, List<Job> jobs) {
        var pre = m.info().preprocessing();
        byte[][] px = new byte[jobs.size()][];
        String[] src = new String[jobs.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = jobs.get(i).pixels();
            src[i] = "request";
        }
        return new ImageSet(pre.height(), pre.width(), pre.channels(), m.info().classes(), px, new int[px.length], src);
    }

    /** Stops taking requests and waits until every queued image is answered. */
    @Override
    public void close() {
        closing = true;
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
