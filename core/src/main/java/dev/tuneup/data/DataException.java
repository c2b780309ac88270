package dev.tuneup.data;

import dev.tuneup.TuneupException;

/** A data file that cannot be used: names the file (or archive entry), what is wrong, and the fix. */
public class DataException extends TuneupException {
    /** What kind of problem it is, so callers and tests can tell them apart without parsing text. */
    public enum Problem {
        NOT_FOUND, EMPTY, TRUNCATED, TRAILING_BYTES, BAD_MAGIC, BAD_DIMENSIONS, COUNT_MISMATCH,
        LABEL_OUT_OF_RANGE, NOT_AN_IMAGE, IMAGE_TOO_LARGE, FILE_TOO_LARGE, UNSUPPORTED_IMAGE, BAD_MANIFEST,
        UNKNOWN_CLASS, BAD_CLASS_NAME, SIZE_MISMATCH, BAD_FILES, IO
    }

    private final String source;
    private final Problem problem;

    public DataException(String source, Problem problem, String reason, String fix) {
        this(source, problem, reason, fix, null);
    }

    public DataException(String source, Problem problem, String reason, String fix, Throwable cause) {
        super(source + ": " + reason, fix, cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file, or {@code archive!entry}, the problem was found in. */
    public String source() {
        return source;
    }

    public Problem problem() {
        return problem;
    }

    /** The reason alone, without the source prefix. */
    public String reason() {
        String m = getMessage();
        return m.substring(source.length() + 2);
    }
}
