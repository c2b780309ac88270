package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

class ManifestFormatTest {
    @TempDir
    Path dir;

    @BeforeEach
    void images() throws IOException {
        for (int i = 0; i < 4; i++) {
            Fixtures.write(dir, "img/" + i + ".png", Fixtures.png(Fixtures.rgb(3, 3, i, 0, 0)));
        }
    }

    private Dataset read(String csv) throws IOException {
        Path m = dir.resolve("labels.csv");
        Files.writeString(m, csv);
        return ManifestFormat.read(m, LoadOptions.defaults());
    }

    @Test
    void labelsComeFromTheManifestNotTheFolders() throws IOException {
        Dataset d = read("path,label,split\nimg/0.png,dog,train\nimg/1.png,cat,train\n\"img/2.png\",dog,test\nimg/3.png,cat,val\n");
        assertEquals(List.of("cat", "dog"), d.classes());
        assertEquals(List.of("train", "val", "test"), List.copyOf(d.splits().keySet()));
        ImageSet train = d.split("train");
        assertArrayEquals(new int[] {0, 1}, train.labels());
        assertEquals(1, train.image(0).get(0, 0, 0), "cat is img/1.png");
    }

    @Test
    void noHeaderAndNoSplitColumn() throws IOException {
        Dataset d = read("img/0.png,a\nimg/1.png,b\n");
        assertEquals(2, d.split("all").size());
    }

    @Test
    void badRowNamesTheLine() throws IOException {
        DataException e = assertThrows(DataException.class, () -> read("path,label\nimg/0.png,a\nimg/1.png\n"));
        assertEquals(DataException.Problem.BAD_MANIFEST, e.problem());
        assertTrue(e.source().endsWith("labels.csv:3"), e.source());
        DataException split = assertThrows(DataException.class, () -> read("img/0.png,a,holdout\n"));
        assertTrue(split.getMessage().contains("unknown split 'holdout'"));
    }

    @Test
    void missingImageIsABadFileUnderEitherPolicy() throws IOException {
        BadFilesException e = assertThrows(BadFilesException.class, () -> read("img/0.png,a\nimg/nope.png,a\n"));
        assertTrue(e.getMessage().contains("nope.png"));
        assertTrue(e.getMessage().contains("labels.csv:2"), e.getMessage());
        Path m = dir.resolve("labels.csv");
        Dataset d = ManifestFormat.read(m, LoadOptions.defaults().withBadFiles(BadFilePolicy.SKIP));
        assertEquals(1, d.split("all").size());
        assertEquals(1, d.skipped().size());
    }

    @Tag("reliability")
    @Test
    void pathsOutsideTheManifestFolderAreRefusedWithoutReadingThem() throws IOException {
        Path secret = Fixtures.write(dir, "secret.txt", "SECRET-CONTENT".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path sub = dir.resolve("sub");
        Files.createDirectories(sub);
        Path m = sub.resolve("labels.csv");
        for (String row : List.of("../secret.txt,a", secret.toAbsolutePath() + ",a", "x/../../secret.txt,a")) {
            Files.writeString(m, row + "\n");
            DataException e = assertThrows(DataException.class, () -> ManifestFormat.read(m, LoadOptions.defaults()));
            assertEquals(DataException.Problem.BAD_MANIFEST, e.problem(), e.getMessage());
            assertTrue(e.source().endsWith("labels.csv:1"), e.source());
            assertTrue(e.getMessage().contains("outside"), e.getMessage());
            assertTrue(e.fix().contains("--allow-outside-paths"), e.fix());
        }
        // allowed, the file is read, but its bytes are not echoed in the error
        Files.writeString(m, secret.toAbsolutePath() + ",a\n");
        BadFilesException e = assertThrows(BadFilesException.class,
                () -> ManifestFormat.read(m, LoadOptions.defaults().withOutsidePaths(true)));
        assertTrue(e.getMessage().contains("secret.txt"), e.getMessage());
        assertTrue(!e.getMessage().contains("SECRET") && !e.getMessage().contains("53 45 43"), e.getMessage());
    }

    @Tag("reliability")
    @Test
    void imageListedTwiceIsRefusedNamingBothLines() throws IOException {
        for (String csv : List.of("img/0.png,a\nimg/1.png,a\nimg/0.png,b\n", "img/0.png,a,train\nimg/1.png,a\n./img/0.png,a,test\n")) {
            DataException e = assertThrows(DataException.class, () -> read(csv), csv);
            assertEquals(DataException.Problem.BAD_MANIFEST, e.problem(), e.getMessage());
            assertTrue(e.getMessage().contains("labels.csv:1") && e.getMessage().contains("labels.csv:3"), e.getMessage());
        }
    }
}
