package dev.tuneup.data;

/** What to do with an image file that cannot be decoded or is refused. */
public enum BadFilePolicy {
    /** Default: read everything, then stop before any training, naming every bad file and why. */
    FAIL,
    /** Leave bad files out and report each one (path and reason) in {@link Dataset#skipped()}. */
    SKIP
}
