package dev.tuneup.data;

/** A file left out under {@link BadFilePolicy#SKIP}, with the reason. */
public record SkippedFile(String source, String reason) {
    static SkippedFile of(DataException e) {
        return new SkippedFile(e.source(), e.reason());
    }

    @Override
    public String toString() {
        return source + ": " + reason;
    }
}
