package dev.tuneup.serve;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap in use right after a garbage collection while it is open: the live data (plus
 * what the collection chose to leave), unlike a sample of the heap in use, which counts garbage
 * not yet collected and so measures the young generation's size more than the server.
 */
final class HeapWatch implements AutoCloseable {
    private final AtomicLong afterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (n, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            long used = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo()
                    .getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
            afterGc.accumulateAndGet(used, Math::max);
            collections.incrementAndGet();
        }
    };

    HeapWatch() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            NotificationEmitter e = (NotificationEmitter) gc;
            e.addNotificationListener(listener, null, null);
            emitters.add(e);
        }
    }

    /** The most heap in use after any collection so far, in bytes. */
    long afterGcPeak() {
        return afterGc.get();
    }

    long collections() {
        return collections.get();
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
    }
}
