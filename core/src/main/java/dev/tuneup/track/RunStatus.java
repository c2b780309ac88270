package dev.tuneup.track;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a run stands. {@code RUNNING} while its process holds the folder's lock; {@code INTERRUPTED}
 * when run.json still says running but no process holds the lock (killed; a training run can be
 * resumed); {@code STOPPED} by SIGTERM with a checkpoint; {@code DIVERGED} on a non-finite loss.
 */
public enum RunStatus {
    RUNNING, FINISHED, FAILED, DIVERGED, STOPPED, INTERRUPTED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named {@code id}, or {@link #FAILED} for a name this version does not know. */
    public static RunStatus of(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst().orElse(FAILED);
    }
}
