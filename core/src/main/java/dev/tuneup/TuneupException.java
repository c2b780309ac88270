package dev.tuneup;

/**
 * Base of every error tuneup raises on purpose: a one-line cause plus the fix a user can apply.
 * The CLI prints {@link #getMessage()} and {@link #fix()} and maps the exception to exit code 1;
 * anything else that escapes is a bug and is reported as one.
 */
public class TuneupException extends RuntimeException {
    private final String fix;

    public TuneupException(String message, String fix) {
        this(message, fix, null);
    }

    public TuneupException(String message, String fix, Throwable cause) {
        super(message, cause);
        this.fix = fix == null ? "" : fix;
    }

    /** What the user can do about it; empty when nothing sensible can be suggested. */
    public String fix() {
        return fix;
    }
}
