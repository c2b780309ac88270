package dev.tuneup.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import dev.tuneup.data.DataSources;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Written folders load back with tuneup's loaders, byte for byte, and are never left half done. */
class CorruptionWriterTest {
    @TempDir
    Path dir;

    @Test
    void imageFolderRoundTripsThroughTheLoader() {
        ImageSet clean = CorruptionTest.fixtures(12, 10, 3, 6);
        CorruptionWriter w = new CorruptionWriter(dir, clean, "fixtures", 9, CorruptionFormat.IMAGEFOLDER);
        assertTrue(w.write(Corruption.GAUSSIAN_NOISE, 2, () -> { }));
        ImageSet expected = Corruptions.apply(clean, Corruption.GAUSSIAN_NOISE, 2, 9);
        Dataset back = DataSources.load(dir.resolve("gaussian_noise/2").toString(), List.of(), LoadOptions.defaults());
        assertSame(expected, back.split(Dataset.ALL));
        assertTrue(Files.isRegularFile(dir.resolve("gaussian_noise/2/a/0.png")));
        assertTrue(Files.isRegularFile(dir.resolve("gaussian_noise/2/" + CorruptionWriter.INFO)));
    }

    @Test
    void grayImageFolderAndIdxRoundTrip() {
        ImageSet clean = CorruptionTest.fixtures(8, 8, 1, 5);
        for (CorruptionFormat f : CorruptionFormat.values()) {
            Path out = dir.resolve(f.id());
            new CorruptionWriter(out, clean, "fixtures", 1, f).write(Corruption.FOG, 4, () -> { });
            ImageSet expected = Corruptions.apply(clean, Corruption.FOG, 4, 1);
            Dataset back = DataSources.load(out.resolve("fog/4").toString(), List.of(), LoadOptions.defaults().withChannels(1));
            assertSame(expected, back.split(f == CorruptionFormat.IDX ? Dataset.TEST : Dataset.ALL));
        }
    }

    @Test
    void finishedFoldersAreKeptAndChangedSettingsRewrite() throws IOException {
        ImageSet clean = CorruptionTest.fixtures(8, 8, 1, 3);
        CorruptionWriter w = new CorruptionWriter(dir, clean, "fixtures", 1, CorruptionFormat.IDX);
        assertTrue(w.write(Corruption.ROTATE, 1, () -> { }));
        assertTrue(w.isDone(Corruption.ROTATE, 1));
        assertFalse(w.write(Corruption.ROTATE, 1, () -> { }), "resumes: the finished folder is kept");
        CorruptionWriter other = new CorruptionWriter(dir, clean, "fixtures", 2, CorruptionFormat.IDX);
        assertFalse(other.isDone(Corruption.ROTATE, 1));
        assertTrue(other.write(Corruption.ROTATE, 1, () -> { }));
        assertTrue(other.isDone(Corruption.ROTATE, 1));
        assertFalse(w.isDone(Corruption.ROTATE, 1));
        try (Stream<Path> s = Files.list(dir.resolve("rotate"))) {
            assertEquals(List.of("1"), s.map(p -> p.getFileName().toString()).toList(), "no temporary folders left");
        }
    }

    @Test
    void aHalfWrittenFolderIsNotTakenAsDone() throws IOException {
        ImageSet clean = CorruptionTest.fixtures(8, 8, 3, 4);
        CorruptionWriter w = new CorruptionWriter(dir, clean, "fixtures", 1, CorruptionFormat.IMAGEFOLDER);
        Path half = w.folder(Corruption.PIXELATE, 3);
        Files.createDirectories(half.resolve("a"));
        Files.writeString(half.resolve("a/0.png"), "truncated");
        assertFalse(w.isDone(Corruption.PIXELATE, 3));
        assertTrue(w.write(Corruption.PIXELATE, 3, () -> { }));
        Dataset back = DataSources.load(half.toString(), List.of(), LoadOptions.defaults());
        assertSame(Corruptions.apply(clean, Corruption.PIXELATE, 3, 1), back.split(Dataset.ALL));
    }

    @Test
    void idxRefusesColourAndIndexListsWhatWasWritten() throws IOException {
        ImageSet rgb = CorruptionTest.fixtures(8, 8, 3, 2);
        TuneupException e = assertThrows(TuneupException.class,
                () -> new CorruptionWriter(dir, rgb, "x", 0, CorruptionFormat.IDX));
        assertTrue(e.fix().contains("--format imagefolder"), e.fix());
        CorruptionWriter w = new CorruptionWriter(dir, rgb, "x", 0, CorruptionFormat.IMAGEFOLDER);
        w.writeIndex(List.of(Corruption.INVERT, Corruption.FOG), List.of(1, 2));
        String index = Files.readString(dir.resolve("corruptions.json"));
        assertTrue(index.replaceAll("\\s", "").contains("\"invert\":{\"severities\":[1]"), index);
        assertEquals(List.of("a", "b"), Files.readAllLines(dir.resolve("classes.txt")));
        assertEquals(List.of("T-shirt_top", "Trouser"), CorruptionFormat.classFolders(List.of("T-shirt/top", "Trouser")));
    }

    /** Same images and labels (the fixtures' classes sort as their ids), matched by the index in each name. */
    private static void assertSame(ImageSet expected, ImageSet back) {
        assertEquals(expected.size(), back.size());
        assertEquals(expected.channels(), back.channels());
        for (int k = 0; k < back.size(); k++) {
            String src = back.source(k);
            int i = src.contains("#") ? Integer.parseInt(src.substring(src.lastIndexOf('#') + 1))
                    : Integer.parseInt(Path.of(src).getFileName().toString().replace(".png", ""));
            assertArrayEquals(expected.pixels(i), back.pixels(k), src);
            assertEquals(expected.label(i), back.label(k), src);
        }
    }
}
