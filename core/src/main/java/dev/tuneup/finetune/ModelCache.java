package dev.tuneup.finetune;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where named bases live: {@code $TUNEUP_MODEL_CACHE}, else {@code $XDG_CACHE_HOME/tuneup/models}, else
 * {@code ~/.cache/tuneup/models}. {@code $TUNEUP_MODEL_MIRROR} replaces the scheme and host of every
 * download address (an intranet copy of the same paths).
 */
public final class ModelCache {
    public static final String CACHE_VARIABLE = "TUNEUP_MODEL_CACHE";
    public static final String MIRROR_VARIABLE = "TUNEUP_MODEL_MIRROR";

    private ModelCache() {
    }

    /** The cache folder this process uses. */
    public static Path dir() {
        return dir(System.getenv(), System.getProperty("user.home"));
    }

    /** The cache folder for these environment variables and home folder. */
    public static Path dir(Map<String, String> env, String home) {
        String own = env.get(CACHE_VARIABLE);
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path root = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache");
        return root.resolve("tuneup").resolve("models");
    }

    /** The mirror this process uses, or null. */
    public static String mirror() {
        String m = System.getenv(MIRROR_VARIABLE);
        return m == null || m.isBlank() ? null : m;
    }
}
