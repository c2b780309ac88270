package dev.tuneup.workflow;

import dev.tuneup.track.RunDir;
import dev.tuneup.train.TrainingSession;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns SIGTERM into "finish the step, write a checkpoint, exit" for whichever session trains at the
 * moment (a fine-tune moves from phase to phase). The JVM's shutdown hook asks the watched session to
 * stop, then waits until {@link #release} says the loop's files are written. A stop that arrives
 * between sessions (or during an LR sweep) stops the next session after its first step.
 */
final class SigtermStop {
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicReference<TrainingSession> current = new AtomicReference<>();
    private final String message;
    private final Thread hook;
    private volatile boolean requested;

    private SigtermStop(RunDir dir) {
        message = "stopped by SIGTERM (checkpoint written; resume with tuneup resume " + dir.path() + ")";
        hook = new Thread(() -> {
            requested = true;
            TrainingSession s = current.get();
            if (s != null) {
                s.requestStop(message);
            }
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tuneup-sigterm");
    }

    /** Watches for SIGTERM until {@link #release}. */
    static SigtermStop install(RunDir dir) {
        SigtermStop s = new SigtermStop(dir);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** {@code session} is the one training now; a SIGTERM already received stops it at once. */
    void watch(TrainingSession session) {
        current.set(session);
        if (requested) {
            session.requestStop(message);
        }
    }

    /** Whether SIGTERM arrived. */
    boolean requested() {
        return requested;
    }

    /**
     * Stops watching and lets a waiting hook go (the JVM then exits). Returns whether the JVM is exiting:
     * then the caller writes nothing more.
     */
    boolean release() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }
}
