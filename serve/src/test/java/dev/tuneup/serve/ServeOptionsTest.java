package dev.tuneup.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The default thread split: half the cores per worker for libtorch, the rest for HTTP and decoding. */
class ServeOptionsTest {
    @Test
    void defaultThreadsLeaveHalfTheCoresToRequests() {
        assertEquals(1, ServeOptions.defaultThreads(1, 1));
        assertEquals(1, ServeOptions.defaultThreads(2, 1));
        assertEquals(1, ServeOptions.defaultThreads(3, 1));
        assertEquals(8, ServeOptions.defaultThreads(16, 1));
        assertEquals(4, ServeOptions.defaultThreads(16, 2));
        assertEquals(1, ServeOptions.defaultThreads(2, 2));
        int cores = Runtime.getRuntime().availableProcessors();
        ServeOptions d = ServeOptions.defaults();
        assertEquals(1, d.workers());
        assertEquals(ServeOptions.defaultThreads(cores, 1), d.threads());
    }
}
