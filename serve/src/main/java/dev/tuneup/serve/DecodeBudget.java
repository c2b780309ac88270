package dev.tuneup.serve;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The heap that decoding may use at once, across all requests: each image is charged its
 * decode cost ({@link dev.tuneup.data.ImageHeader#decodeBytes}, known from its header) before it
 * is decoded and refunded right after, so however many requests arrive, decoding holds at most
 * {@link #bytes()} of pixels.
 *
 * <p>An image that does not fit now waits up to the given time for others to finish, then is
 * refused with 503 and {@code Retry-After}; one that could never fit is refused at once with 413.
 * An eighth of the budget is kept for small images (at most a quarter of that reserve each), so
 * ordinary requests still get through while large ones fill the rest; waiters are woken together
 * on every refund, so a large image waiting never blocks a small one behind it.
 */
final class DecodeBudget {
    private final long bytes;
    private final long reserve;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition refunded = lock.newCondition();
    private long inUse;
    private long peak;

    DecodeBudget(long bytes) {
        if (bytes < 1 << 20) {
            throw new IllegalArgumentException("decode budget " + bytes + " bytes is out of range: at least 1 MB");
        }
        this.bytes = bytes;
        this.reserve = bytes / 8;
    }

    /** A charge held while one image decodes; closing it refunds the budget. */
    interface Charge extends AutoCloseable {
        @Override
        void close();
    }

    long bytes() {
        return bytes;
    }

    /** The largest single image cost the budget can ever admit. */
    long largest() {
        return bytes - reserve;
    }

    long inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }

    /** The most bytes charged at once since the start. */
    long peak() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Charges {@code cost} bytes for the image described by {@code what} if they fit now.
     *
     * @return the charge, or null when the budget is busy now
     * @throws Problem 413 when the image can never fit
     */
    Charge tryCharge(long cost, String what) {
        return take(cost, what, -1);
    }

    /**
     * Charges {@code cost} bytes for the image described by {@code what}, waiting up to {@code waitMs}.
     *
     * @throws Problem 413 when the image can never fit, 503 with Retry-After when the budget stayed busy
     */
    Charge charge(long cost, String what, long waitMs) {
        return take(cost, what, waitMs);
    }

    /** @throws Problem 413 when an image costing {@code cost} bytes can never fit */
    void checkFits(long cost, String what) {
        if (cost > largest()) {
            throw new Problem(413, what + " needs about " + mb(cost) + " of memory to decode, more than the decode"
                    + " budget lets one image use (" + mb(largest()) + " of " + mb(bytes) + ")",
                    "send a smaller image (resize it to about the model's input size first), or start the server with"
                    + " --decode-budget-mb " + ((cost * 8 / 7 >> 20) + 1) + " or more, and a heap (-Xmx) about four"
                    + " times that", Map.of(), "too_large");
        }
    }

    /** Charges, waiting up to {@code waitMs}; a negative wait answers null instead of waiting. */
    private Charge take(long cost, String what, long waitMs) {
        checkFits(cost, what);
        long limit = cost <= reserve / 4 ? bytes : bytes - reserve;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, waitMs));
        lock.lock();
        try {
            while (inUse + cost > limit) {
                if (waitMs < 0) {
                    return null;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new Problem(503, what + " needs about " + mb(cost) + " of memory to decode; the decode"
                            + " budget of " + mb(bytes) + " stayed in use by other requests' images (" + mb(inUse)
                            + ") for " + waitMs + " ms", "retry after the Retry-After seconds; to decode more at"
                            + " once, start the server with a larger --decode-budget-mb (and heap, -Xmx)",
                            Map.of("Retry-After", "1"), "decode_budget");
                }
                refunded.awaitNanos(left);
            }
            inUse += cost;
            peak = Math.max(peak, inUse);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "the server is shutting down", "retry against another instance",
                    Map.of("Retry-After", "1"));
        } finally {
            lock.unlock();
        }
        return new Charge() {
            private boolean open = true;

            @Override
            public void close() {
                if (open) {
                    open = false;
                    refund(cost);
                }
            }
        };
    }

    private void refund(long cost) {
        lock.lock();
        try {
            inUse -= cost;
            refunded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whole megabytes (rounded up), the unit of {@code --decode-budget-mb}. */
    static String mb(long bytes) {
        return ((bytes + (1 << 20) - 1) >> 20) + " MB";
    }
}
