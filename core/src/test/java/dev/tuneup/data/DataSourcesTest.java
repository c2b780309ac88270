package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

class DataSourcesTest {
    @TempDir
    Path dir;

    private void fashionLike(Path folder) throws IOException {
        byte[] px = new byte[2 * 4];
        Fixtures.write(folder, "train-images-idx3-ubyte.gz", Fixtures.gzip(Fixtures.idx(new int[] {2, 2, 2}, px)));
        Fixtures.write(folder, "train-labels-idx1-ubyte.gz", Fixtures.gzip(Fixtures.idx(new int[] {2}, new byte[] {1, 0})));
        Fixtures.write(folder, "t10k-images-idx3-ubyte", Fixtures.idx(new int[] {1, 2, 2}, new byte[4]));
        Fixtures.write(folder, "t10k-labels-idx1-ubyte", Fixtures.idx(new int[] {1}, new byte[] {2}));
    }

    @Test
    void namedDataSetIsFoundInTheGivenDirectory() throws IOException {
        fashionLike(dir.resolve("fashion-mnist"));
        Dataset d = DataSources.load("fashion-mnist", List.of(dir), LoadOptions.defaults());
        assertEquals("fashion-mnist", d.name());
        assertEquals("Ankle boot", d.classes().get(9));
        assertEquals(2, d.split("train").size());
        assertEquals(1, d.split("test").size());
    }

    @Test
    void unknownNameAndMissingDataSetSayWhatToDo() {
        DataException e = assertThrows(DataException.class,
                () -> DataSources.load("imagenet-99", List.of(dir), LoadOptions.defaults()));
        assertTrue(e.fix().contains("fashion-mnist, cifar10"), e.fix());
        Path nowhere = dir.resolve("nowhere");
        DataException missing = assertThrows(DataException.class,
                () -> DataSources.load("cifar10", List.of(nowhere), LoadOptions.defaults()));
        assertEquals(DataException.Problem.NOT_FOUND, missing.problem());
        assertTrue(missing.getMessage().contains(nowhere.toString()), "lists the folders searched");
        assertTrue(missing.fix().contains("tuneup data fetch cifar10"), missing.fix());
    }

    @Test
    void pathsAreDetectedByFormat() throws IOException {
        Path idx = dir.resolve("digits");
        fashionLike(idx);
        assertEquals("0", DataSources.load(idx.toString(), List.of(), LoadOptions.defaults()).classes().get(0));

        Path cifar = dir.resolve("cifar");
        for (int b = 1; b <= 5; b++) {
            Fixtures.write(cifar, "data_batch_" + b + ".bin", CifarBinaryFormatTest.records(1, 1));
        }
        Fixtures.write(cifar, "test_batch.bin", CifarBinaryFormatTest.records(1, 2));
        assertEquals(5, DataSources.load(cifar.toString(), List.of(), LoadOptions.defaults()).split("train").size());
        Dataset single = DataSources.load(cifar.resolve("test_batch.bin").toString(), List.of(), LoadOptions.defaults());
        assertEquals("bird", single.classes().get(2));

        Path folder = dir.resolve("pets");
        Fixtures.write(folder, "cat/0.png", Fixtures.png(Fixtures.rgb(2, 2, 0, 0, 0)));
        assertEquals(List.of("cat"), DataSources.load(folder.toString(), List.of(), LoadOptions.defaults()).classes());

        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "pets/cat/0.png,kitty\n");
        assertEquals(List.of("kitty"), DataSources.load(csv.toString(), List.of(), LoadOptions.defaults()).classes());

        Path other = Fixtures.write(dir, "weird.dat", new byte[] {1});
        DataException e = assertThrows(DataException.class,
                () -> DataSources.load(other.toString(), List.of(), LoadOptions.defaults()));
        assertTrue(e.fix().contains("manifest"));
    }

    @Test
    void unknownSplitListsTheSplits() throws IOException {
        fashionLike(dir.resolve("fashion-mnist"));
        Dataset d = DataSources.load("fashion-mnist", List.of(dir), LoadOptions.defaults());
        DataException e = assertThrows(DataException.class, () -> d.split("val"));
        assertTrue(e.fix().contains("[train, test]"), e.fix());
    }

    @Tag("reliability")
    @Test
    void idxFilesWithOtherNamesAreReportedAsIdx() throws IOException {
        Path folder = dir.resolve("digits");
        Fixtures.write(folder, "mnist-images-idx3-ubyte", Fixtures.idx(new int[] {1, 2, 2}, new byte[4]));
        Fixtures.write(folder, "mnist-labels-idx1-ubyte", Fixtures.idx(new int[] {1}, new byte[] {0}));
        DataException e = assertThrows(DataException.class,
                () -> DataSources.load(folder.toString(), List.of(), LoadOptions.defaults()));
        assertEquals(DataException.Problem.NOT_FOUND, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains("mnist-images-idx3-ubyte"), e.getMessage());
        assertTrue(e.fix().contains("train-images-idx3-ubyte"), e.fix());
    }

    @Tag("reliability")
    @Test
    void idxLabelsAreCheckedAgainstTheClassCount() throws IOException {
        Path folder = dir.resolve("digits");
        Fixtures.write(folder, "train-images-idx3-ubyte", Fixtures.idx(new int[] {4, 2, 2}, new byte[16]));
        Fixtures.write(folder, "train-labels-idx1-ubyte", Fixtures.idx(new int[] {4}, new byte[] {0, 1, (byte) 200, 1}));
        DataException e = assertThrows(DataException.class,
                () -> DataSources.load(folder.toString(), List.of(), LoadOptions.defaults()));
        assertEquals(DataException.Problem.LABEL_OUT_OF_RANGE, e.problem(), e.getMessage());
        assertTrue(e.source().endsWith("train-labels-idx1-ubyte"), e.source());
        assertTrue(e.getMessage().contains("label 200 at index 2"), e.getMessage());
        assertTrue(e.fix().contains("--classes"), e.fix());
        // a pinned class list is the declared class count
        DataException pinned = assertThrows(DataException.class, () -> DataSources.load(folder.toString(), List.of(),
                LoadOptions.defaults().withClasses(List.of("zero", "one"))));
        assertTrue(pinned.getMessage().contains("label 200 at index 2 is outside 0..1"), pinned.getMessage());
        Fixtures.write(folder, "train-labels-idx1-ubyte", Fixtures.idx(new int[] {4}, new byte[] {0, 1, 1, 1}));
        assertEquals(List.of("zero", "one"), DataSources.load(folder.toString(), List.of(),
                LoadOptions.defaults().withClasses(List.of("zero", "one"))).classes());
    }

    @Tag("reliability")
    @Test
    void idxSplitsShareOneClassList() throws IOException {
        Path folder = dir.resolve("digits");
        Fixtures.write(folder, "train-images-idx3-ubyte", Fixtures.idx(new int[] {3, 2, 2}, new byte[12]));
        Fixtures.write(folder, "train-labels-idx1-ubyte", Fixtures.idx(new int[] {3}, new byte[] {0, 1, 2}));
        Fixtures.write(folder, "t10k-images-idx3-ubyte", Fixtures.idx(new int[] {1, 2, 2}, new byte[4]));
        Fixtures.write(folder, "t10k-labels-idx1-ubyte", Fixtures.idx(new int[] {1}, new byte[] {1}));
        Dataset d = DataSources.load(folder.toString(), List.of(), LoadOptions.defaults());
        assertEquals(3, d.split("test").numClasses());
    }
}
