package dev.tuneup.track;

import java.nio.file.Path;

/**
 * One edge of a run's lineage: the run came from (or produced) the folder at {@code path}.
 * Relations written by the workflows: {@code base} (a fine-tune's starting bundle), {@code source}
 * (the bundle an eval, analysis, repair or serve session reads), {@code candidate} (a repair's
 * fine-tuned candidate), {@code accepted} or {@code rejected} (the bundle a repair's gate
 * judged), {@code serves} (the
 * bundle a serve session serves); the reader adds {@code part_of} for a run nested in another run's
 * folder (a repair's candidate, a cross-fitting fold).
 *
 * @param path absolute path of the bundle or run folder
 * @param run  id of the run that owns {@code path} in the same store, or null (outside it, or not a run)
 */
public record Lineage(String relation, String path, String run) {
    public static final String BASE = "base";
    public static final String SOURCE = "source";
    public static final String CANDIDATE = "candidate";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String SERVES = "serves";
    public static final String PART_OF = "part_of";

    /** An edge to {@code path} (made absolute), its run resolved when read. */
    public static Lineage to(String relation, Path path) {
        return new Lineage(relation, path.toAbsolutePath().normalize().toString(), null);
    }
}
