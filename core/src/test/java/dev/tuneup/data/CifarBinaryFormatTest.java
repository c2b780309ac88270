package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryFormatTest {
    @TempDir
    Path dir;

    /** {@code n} records; record i has label(s) {@code labels[i]} and R plane = i, G = 100 + i, B = 200 + i. */
    static byte[] records(int labelBytes, int... labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < labels.length; i++) {
            if (labelBytes == 2) {
                out.write(labels[i] / 5); // coarse label
            }
            out.write(labels[i]);
            for (int plane = 0; plane < 3; plane++) {
                byte[] p = new byte[1024];
                Arrays.fill(p, (byte) (100 * plane + i));
                out.writeBytes(p);
            }
        }
        return out.toByteArray();
    }

    private static final List<String> TEN = IdxFormat.numbered(10);

    @Test
    void readsPlanarRecordsAsInterleavedPixels() throws IOException {
        Path f = Fixtures.write(dir, "data.bin", records(1, 3, 9));
        ImageSet set = CifarBinaryFormat.read(List.of(f), 1, TEN);
        assertEquals(2, set.size());
        assertArrayEquals(new int[] {3, 9}, set.labels());
        assertEquals(32, set.height());
        assertEquals(3, set.channels());
        byte[] px = set.pixels(1);
        assertArrayEquals(new byte[] {1, 101, (byte) 201, 1, 101, (byte) 201}, Arrays.copyOf(px, 6));
        assertEquals("data.bin#1", set.source(1));
    }

    @Test
    void readsOfficialCifar10Layout() throws IOException {
        for (int b = 1; b <= 5; b++) {
            Fixtures.write(dir, "data_batch_" + b + ".bin", records(1, b, b + 1));
        }
        Fixtures.write(dir, "test_batch.bin", records(1, 0));
        Files.writeString(dir.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        Dataset d = CifarBinaryFormat.readDirectory(dir);
        assertEquals(10, d.split("train").size());
        assertEquals(1, d.split("test").size());
        assertEquals("truck", d.classes().get(9));
        assertArrayEquals(new int[] {1, 2, 2, 3, 3, 4, 4, 5, 5, 6}, d.split("train").labels());
    }

    @Test
    void readsCifar100FineLabels() throws IOException {
        Fixtures.write(dir, "train.bin", records(2, 42, 99));
        Fixtures.write(dir, "test.bin", records(2, 7));
        Dataset d = CifarBinaryFormat.readDirectory(dir);
        assertEquals(100, d.classes().size());
        assertArrayEquals(new int[] {42, 99}, d.split("train").labels());
    }

    private DataException error(byte[] bytes, int labelBytes, List<String> classes) throws IOException {
        Path f = Fixtures.write(dir, "bad.bin", bytes);
        DataException e = assertThrows(DataException.class, () -> CifarBinaryFormat.read(List.of(f), labelBytes, classes));
        assertEquals(f.toString(), e.source());
        return e;
    }

    @Test
    void truncationAnywhereIsAnError() throws IOException {
        byte[] good = records(1, 1, 2);
        for (int cut : new int[] {1, 3073 / 2, 3073 + 1, good.length - 1}) {
            DataException e = error(Arrays.copyOf(good, cut), 1, TEN);
            assertEquals(DataException.Problem.TRUNCATED, e.problem(), "cut at " + cut);
        }
        assertTrue(error(Arrays.copyOf(good, good.length - 1), 1, TEN).getMessage()
                .contains("(1 complete, 3072 bytes left over)"));
    }

    @Test
    void emptyFileAndLabelOutOfRange() throws IOException {
        assertEquals(DataException.Problem.EMPTY, error(new byte[0], 1, TEN).problem());
        DataException e = error(records(1, 4, 12), 1, TEN);
        assertEquals(DataException.Problem.LABEL_OUT_OF_RANGE, e.problem());
        assertTrue(e.getMessage().contains("record 1 has label 12"), e.getMessage());
    }

    @Test
    void cifar100FileReadAsCifar10SaysSo() throws IOException {
        DataException e = error(records(2, 1, 2, 3), 1, TEN);
        assertEquals(DataException.Problem.TRUNCATED, e.problem());
        assertTrue(e.fix().contains("CIFAR-100"), e.fix());
    }

    @Test
    void classNameFileWithWrongCount() throws IOException {
        Files.writeString(dir.resolve("batches.meta.txt"), "a\nb\n");
        Fixtures.write(dir, "test_batch.bin", records(1, 0));
        for (int b = 1; b <= 5; b++) {
            Fixtures.write(dir, "data_batch_" + b + ".bin", records(1, 0));
        }
        DataException e = assertThrows(DataException.class, () -> CifarBinaryFormat.readDirectory(dir));
        assertTrue(e.getMessage().contains("lists 2 class names, expected 10"), e.getMessage());
    }

    @Test
    void missingBatchFile() throws IOException {
        Fixtures.write(dir, "test_batch.bin", records(1, 0));
        DataException e = assertThrows(DataException.class, () -> CifarBinaryFormat.readDirectory(dir));
        assertEquals(DataException.Problem.NOT_FOUND, e.problem());
        assertTrue(e.source().endsWith("data_batch_1.bin"));
    }
}
