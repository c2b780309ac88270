package dev.tuneup.track;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

class RunDirTest {
    @TempDir
    Path dir;

    @Tag("reliability")
    @Test
    void aRunFolderInUseCannotBeTakenTwice() {
        RunDir run = RunDir.create(dir, "run");
        run.write(RunDir.CONFIG, "training: {}\n");
        try (RunDir.Lock held = run.lock()) {
            TuneupException e = assertThrows(TuneupException.class, () -> RunDir.open(run.path()).lock());
            assertTrue(e.getMessage().contains(run.path().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        RunDir.open(run.path()).lock().close(); // free again once released
    }
}
