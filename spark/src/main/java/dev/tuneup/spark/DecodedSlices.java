package dev.tuneup.spark;

import dev.tuneup.data.ImageSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded images of recent slices, per executor JVM, so the passes of one slice (clean and each
 * corruption and severity) that run in the same JVM decode its files once, as a single-machine eval does.
 * Least recently used slices go first once the pixels held pass {@link #MAX_BYTES}; a slice not here is
 * decoded again, with the same result.
 */
final class DecodedSlices {
    /** Pixel bytes held at most (CIFAR-10's test set is 30 MB). */
    static final long MAX_BYTES = 256L << 20;

    private static final Map<String, ImageSet> SLICES = new LinkedHashMap<>(16, 0.75f, true);
    private static long held;

    private DecodedSlices() {
    }

    static synchronized ImageSet get(String key) {
        return SLICES.get(key);
    }

    static synchronized void put(String key, ImageSet set) {
        long bytes = (long) set.size() * set.height() * set.width() * set.channels();
        if (bytes > MAX_BYTES || SLICES.containsKey(key)) {
            return;
        }
        var it = SLICES.entrySet().iterator();
        while (held + bytes > MAX_BYTES && it.hasNext()) {
            ImageSet old = it.next().getValue();
            held -= (long) old.size() * old.height() * old.width() * old.channels();
            it.remove();
        }
        SLICES.put(key, set);
        held += bytes;
    }
}
