package dev.tuneup.serve;

import java.util.concurrent.atomic.AtomicReference;

/** The model the server answers with now; swapped atomically, the old one closed when its last batch ends. */
final class ModelSlot implements AutoCloseable {
    private final AtomicReference<ServedModel> current;

    ModelSlot(ServedModel first) {
        current = new AtomicReference<>(first);
    }

    /** The current model with a reference taken: release it when done. */
    ServedModel acquire() {
        while (true) {
            ServedModel m = current.get();
            if (m == null) {
                throw new IllegalStateException("the server is closed");
            }
            if (m.acquire()) {
                return m;
            }
        }
    }

    /** The current model, for reading its info only. */
    ServedModel peek() {
        return current.get();
    }

    /** Puts {@code next} in place and returns the version it replaced. */
    String swap(ServedModel next) {
        ServedModel old = current.getAndSet(next);
        old.release();
        return old.version();
    }

    @Override
    public void close() {
        ServedModel old = current.getAndSet(null);
        if (old != null) {
            old.release();
        }
    }
}
