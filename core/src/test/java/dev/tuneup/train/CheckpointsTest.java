package dev.tuneup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

class CheckpointsTest {
    @TempDir
    Path dir;

    private static Map<String, byte[]> files(String text) {
        return Map.of("model.params", text.getBytes(StandardCharsets.UTF_8), "state.json", "{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void savesAtomicallyAndLoadsTheNewest() {
        Checkpoints c = new Checkpoints(dir, 3);
        assertNull(c.loadLatest());
        c.save(10, files("ten"), List.of());
        c.save(20, files("twenty"), List.of());
        Checkpoints.Loaded l = c.loadLatest();
        assertEquals(20, l.step());
        assertArrayEquals("twenty".getBytes(StandardCharsets.UTF_8), l.files().get("model.params"));
        assertTrue(l.warnings().isEmpty());
    }

    @Test
    void aTruncatedNewestCheckpointFallsBackWithAWarning() throws IOException {
        Checkpoints c = new Checkpoints(dir, 3);
        c.save(10, files("ten-ten-ten"), List.of());
        Path newest = c.save(20, files("twenty-twenty"), List.of());
        Path params = newest.resolve("model.params");
        Files.write(params, java.util.Arrays.copyOf(Files.readAllBytes(params), 5));
        Checkpoints.Loaded l = c.loadLatest();
        assertEquals(10, l.step());
        assertEquals(1, l.warnings().size());
        assertTrue(l.warnings().get(0).contains("model.params is 5 bytes, the manifest says 13 (truncated or changed)"), l.warnings().get(0));
    }

    @Test
    void aFolderWithoutACompleteManifestIsNeverLoaded() throws IOException {
        Checkpoints c = new Checkpoints(dir, 3);
        c.save(10, files("ten"), List.of());
        Path half = dir.resolve(Checkpoints.name(30));
        Files.createDirectories(half);
        Files.writeString(half.resolve("model.params"), "partial");
        assertEquals(10, c.loadLatest().step());
        Files.writeString(half.resolve(Checkpoints.MANIFEST), "{\"step\":30,\"files\":{}}");
        assertEquals(10, c.loadLatest().step(), "no complete flag");
    }

    @Test
    void keepsTheNewestAndPinnedOnesAndCleansTemporaries() throws IOException {
        Checkpoints c = new Checkpoints(dir, 2);
        Path first = c.save(1, files("a"), List.of());
        Files.createDirectories(dir.resolve(".tmp-ckpt-x-123"));
        c.save(2, files("b"), List.of(first));
        c.save(3, files("c"), List.of(first));
        c.save(4, files("d"), List.of(first));
        List<Path> left = c.folders();
        assertEquals(List.of(dir.resolve(Checkpoints.name(4)), dir.resolve(Checkpoints.name(3)), first), left);
        assertTrue(Files.notExists(dir.resolve(".tmp-ckpt-x-123")));
    }

    @Tag("reliability")
    @Test
    void resumeRefusesToStartOverWhenEveryCheckpointIsDamaged() throws IOException {
        Checkpoints c = new Checkpoints(dir, 3);
        assertNull(c.resumePoint(false), "no checkpoint yet: start from the beginning");
        for (long step : new long[] {10, 20}) {
            Path folder = c.save(step, files("steps-" + step), List.of());
            Files.write(folder.resolve("model.params"), new byte[] {1});
        }
        dev.tuneup.TuneupException e = org.junit.jupiter.api.Assertions.assertThrows(dev.tuneup.TuneupException.class,
                () -> c.resumePoint(false));
        assertTrue(e.getMessage().contains(Checkpoints.name(10)) && e.getMessage().contains(Checkpoints.name(20)),
                e.getMessage());
        assertTrue(e.fix().contains("--restart"), e.fix());
        assertNull(c.resumePoint(true), "--restart starts over");
    }
}
