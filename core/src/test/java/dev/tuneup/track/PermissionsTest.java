package dev.tuneup.track;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files tuneup writes through a temporary name get the permissions the umask gives any new file, not the
 * owner-only 0600/0700 of {@code Files.createTempFile}: a teammate or a serving account can read a bundle.
 */
class PermissionsTest {
    @TempDir
    Path dir;

    @Test
    void writtenFilesAndFoldersFollowTheUmask() throws Exception {
        Set<PosixFilePermission> file = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain-file")));
        Set<PosixFilePermission> folder = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain-dir")));

        RunDir run = RunDir.create(dir, "run");
        run.write("notes.txt", "hello");
        run.writeJson("x.json", Map.of("a", 1));
        assertEquals(folder, Files.getPosixFilePermissions(run.path()));
        assertEquals(file, Files.getPosixFilePermissions(run.path().resolve("notes.txt")));
        assertEquals(file, Files.getPosixFilePermissions(run.path().resolve("x.json")));

        Path bundle = AtomicFolder.write(dir.resolve("bundle"), Map.of("weights.params", new byte[] {1, 2}), Map.of());
        assertEquals(folder, Files.getPosixFilePermissions(bundle));
        assertEquals(file, Files.getPosixFilePermissions(bundle.resolve("weights.params")));
    }
}
