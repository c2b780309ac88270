package dev.tuneup;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Temporary files and folders beside their final place, for write-then-rename. Unlike
 * {@link Files#createTempFile}, which makes them owner-only (0600/0700) whatever the umask, these follow the
 * umask like every other file a program writes: a bundle renamed into place stays readable by a teammate or a
 * serving account.
 */
public final class TempFiles {
    private TempFiles() {
    }

    /** A new empty file {@code dir/prefix<random>suffix}. */
    public static Path file(Path dir, String prefix, String suffix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createFile(dir.resolve(name(prefix, suffix)));
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** A new empty folder {@code dir/prefix<random>}. */
    public static Path folder(Path dir, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(dir.resolve(name(prefix, "")));
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static String name(String prefix, String suffix) {
        return prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix;
    }
}
