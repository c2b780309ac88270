package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing without decoding gives a load's order, class ids and pixels, and refuses what a load refuses. */
class ImageFilesTest {
    @TempDir
    Path dir;

    /** root/{train,test}/{Zebra,apple,Äpfel,b10,b9}/n.{png,jpg}, of mixed sizes, a README at the root. */
    private Path layout() throws IOException {
        Path root = dir.resolve("root");
        String[] classes = {"apple", "Zebra", "Äpfel", "b10", "b9"};
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < classes.length; c++) {
                for (int i = 0; i < (split.equals("train") ? 3 : 12); i++) {
                    String type = i % 3 == 0 ? "jpg" : "png";
                    Fixtures.write(root, split + "/" + classes[c] + "/" + i + "." + type,
                            Fixtures.encode(Fixtures.rgb(6 + i % 2, 5 + c, 10 * c, 7 * i, 3), type));
                }
            }
        }
        Fixtures.write(root, "README.txt", "not data".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return root;
    }

    @Test
    void listsInLoadOrderAndDecodesToTheLoadsPixels() throws IOException {
        Path root = layout();
        LoadOptions opts = LoadOptions.defaults().withThreads(2).withChannels(3).withFit(new Fit(8, 8, 0.875));
        Dataset loaded = ImageFolderFormat.readDirectory(root, opts);
        ImageFiles listed = ImageFiles.list(root);
        assertEquals(loaded.split(Dataset.TEST).classes(), listed.classes());
        assertEquals(List.copyOf(loaded.splits().keySet()), List.copyOf(listed.splits().keySet()));
        assertListedAsLoaded(loaded, listed, opts);
    }

    @Test
    void listsAManifestInLoadOrder() throws IOException {
        Path root = layout();
        StringBuilder csv = new StringBuilder("path,label,split\n");
        String[] classes = {"b9", "apple", "Zebra", "b10"}; // rows out of order, one class left out
        for (int i = 11; i >= 0; i--) {
            for (String c : classes) {
                String type = i % 3 == 0 ? "jpg" : "png";
                csv.append("test/").append(c).append('/').append(i).append('.').append(type).append(',').append(c)
                        .append(',').append(i % 4 == 0 ? "val" : "test").append('\n');
            }
        }
        Path manifest = Fixtures.write(root, "images.csv", csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        LoadOptions opts = LoadOptions.defaults().withThreads(2).withChannels(3).withFit(new Fit(8, 8, 0.875));
        Dataset loaded = ManifestFormat.read(manifest, opts);
        ImageFiles listed = ImageFiles.list(manifest);
        assertEquals("images", listed.name());
        assertEquals(List.copyOf(loaded.splits().keySet()), List.copyOf(listed.splits().keySet()));
        for (String split : loaded.splits().keySet()) {
            assertEquals(loaded.split(split).classes(), listed.classes());
        }
        assertListedAsLoaded(loaded, listed, opts);
        Path outside = Fixtures.write(dir, "outside.csv", "root/test/b9/0.jpg,b9\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(1, ImageFiles.list(outside).split(Dataset.ALL).size());
        Path twice = Fixtures.write(root, "twice.csv", "test/b9/0.jpg,b9\ntest/b9/0.jpg,b10\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        DataException e = assertThrows(DataException.class, () -> ImageFiles.list(twice));
        assertTrue(e.getMessage().contains("already listed"), e.getMessage());
    }

    @Test
    void refusesWhatALoadRefusesAndArchives() throws IOException {
        Path root = layout();
        Fixtures.write(root, "test/apple/notes.txt", "x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        BadFilesException e = assertThrows(BadFilesException.class, () -> ImageFiles.list(root));
        assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
        DataException tar = assertThrows(DataException.class, () -> ImageFiles.list(dir.resolve("cifar10.tar.gz")));
        assertTrue(tar.getMessage().contains("is neither an ImageFolder directory nor a .csv manifest"),
                tar.getMessage());
        assertThrows(DataException.class, () -> ImageFiles.list(root).split("val"));
    }

    /** Split by split, the listed files are the loaded images: same order, sources, labels and decoded pixels. */
    private static void assertListedAsLoaded(Dataset loaded, ImageFiles listed, LoadOptions opts) {
        for (String split : loaded.splits().keySet()) {
            ImageSet set = loaded.split(split);
            List<ImageFiles.File> files = listed.split(split);
            assertEquals(set.size(), files.size());
            for (int i = 0; i < set.size(); i++) {
                assertEquals(set.source(i), files.get(i).source(), split + " " + i);
                assertEquals(set.label(i), files.get(i).label(), split + " " + i);
                assertArrayEquals(set.pixels(i), ImageFiles.decode(files.get(i).source(), opts).pixels());
            }
        }
    }
}
