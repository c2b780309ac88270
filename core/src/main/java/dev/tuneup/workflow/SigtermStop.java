package dev.tuneup.workflow;

import dev.tuneup.track.RunDir;
import dev.tuneup.train.TrainingSession;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns SIGTERM into "finish the step, write a checkpoint, exit" for whichever session trains at the
 * moment (a fine-tune moves from phase to phase). The JVM's shutdown hook asks the watched session to
 * stop, then waits until {@link #close} says the workflow is done: its checkpoint, metrics, log and
 * run.json are written. A stop that arrives before a session is watched (while data load, or during an
 * LR sweep) stops the next session after its first step; one that arrives after training lets the
 * workflow finish (test, bundle) before the JVM exits.
 */
final class SigtermStop implements AutoCloseable {
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicReference<TrainingSession> current = new AtomicReference<>();
    private final String message;
    private final Thread hook;
    private volatile boolean requested;

    private SigtermStop(RunDir dir) {
        message = dir == null ? "" : "stopped by SIGTERM (checkpoint written; resume with tuneup resume " + dir.path()
                + ")";
        hook = dir == null ? null : new Thread(() -> {
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

    /** Watches for SIGTERM until {@link #close}. */
    static SigtermStop install(RunDir dir) {
        SigtermStop s = new SigtermStop(dir);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** One that never stops anything: SIGTERM ends the JVM at once, as with no hook (a fold of a cross-fit). */
    static SigtermStop none() {
        return new SigtermStop(null);
    }

    /** {@code session} is the one training now; a SIGTERM already received stops it at once. */
    void watch(TrainingSession session) {
        current.set(session);
        if (requested) {
            session.requestStop(message);
        }
    }

    /** Whether SIGTERM arrived: the JVM exits after {@link #close}, so a stopped session is not to be tested. */
    boolean requested() {
        return requested;
    }

    /** Lets a waiting hook go (the JVM then exits) and stops watching for SIGTERM. */
    @Override
    public void close() {
        done.countDown();
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // SIGTERM came: the JVM exits once the hook returns
        }
    }
}
