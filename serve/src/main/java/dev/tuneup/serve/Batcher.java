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
 * to {@code maxDelayMs} for more (at most {@code maxBatch}), drops those whose deadline passed and
 * runs one forward pass for the rest. A request that does not fit the queue is refused at once
 * (503 with {@code Retry-After}) instead of waiting: shedding is cheap, so overload cannot pile up.
 * {@link #close()} stops taking work and finishes everything already queued.
 */
final class Batcher implements AutoCloseable {
    /** One image's answer. */
    record Answer(float[] probabilities, String version, List<String> classes) {
    }

    private record Job(byte[] pixels, long deadline, CompletableFuture<Answer> done) {
    }

    private final ModelSlot models;
    private final ServeOptions options;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private final List<Thread> workers = new ArrayList<>();
    private final IntConsumer batchSizes;
    private final Runnable expired;
    private volatile boolean closing;

    /**
     * @param batchSizes told the size of every batch run (for metrics)
     * @param expired    told once per image dropped at its deadline
     */
    Batcher(ModelSlot models, ServeOptions options, IntConsumer batchSizes, Runnable expired) {
        this.models = models;
        this.options = options;
        this.room = new Semaphore(options.queueSize());
        this.batchSizes = batchSizes;
        this.expired = expired;
        for (int i = 0; i < options.workers(); i++) {
            Thread t = new Thread(this::work, "tuneup-batch-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    /**
     * Refuses at once when {@code n} images cannot fit now, so an overloaded server does not decode
     * what it will shed ({@link #submit} checks again, atomically).
     */
    void admit(int n) {
        if (closing || room.availablePermits() < n) {
            throw full();
        }
    }

    private Problem full() {
        return closing ? new Problem(503, "the server is shutting down", "retry against another instance",
                Map.of("Retry-After", "1"))
                : new Problem(503, "the prediction queue is full (" + options.queueSize() + " images)",
                "retry after the Retry-After seconds, or run more instances", Map.of("Retry-After", "1"));
    }

    /** Queues all {@code images} or none: a request's images are answered together or refused together. */
    List<CompletableFuture<Answer>> submit(List<byte[]> images) {
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
                    long left = until - System.nanoTime();
                    Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
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
                expired.run();
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
            float[][] p = m.predictor().probabilities(asSet(m, live));
            for (int i = 0; i < live.size(); i++) {
                live.get(i).done().complete(new Answer(p[i], m.version(), m.info().classes()));
            }
        } catch (RuntimeException e) {
            for (Job j : live) {
                j.done().completeExceptionally(e);
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
