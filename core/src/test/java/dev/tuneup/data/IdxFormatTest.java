package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFormatTest {
    @TempDir
    Path dir;

    /** Three 2x3 images with pixel value 10*i + k, labels 2, 0, 1. */
    private static byte[] pixels() {
        byte[] p = new byte[3 * 6];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 6; k++) {
                p[i * 6 + k] = (byte) (10 * i + k);
            }
        }
        return p;
    }

    private Path images(byte[] bytes) throws IOException {
        return Fixtures.write(dir, "images-idx3-ubyte", bytes);
    }

    private Path labels(byte[] bytes) throws IOException {
        return Fixtures.write(dir, "labels-idx1-ubyte", bytes);
    }

    private static final List<String> ABC = List.of("a", "b", "c");

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabelsRawOrGzip(boolean gz) throws IOException {
        byte[] im = Fixtures.idx(new int[] {3, 2, 3}, pixels());
        byte[] lb = Fixtures.idx(new int[] {3}, new byte[] {2, 0, 1});
        ImageSet set = IdxFormat.read(images(gz ? Fixtures.gzip(im) : im), labels(gz ? Fixtures.gzip(lb) : lb), ABC);
        assertEquals(3, set.size());
        assertEquals(2, set.height());
        assertEquals(3, set.width());
        assertEquals(1, set.channels());
        assertArrayEquals(new int[] {2, 0, 1}, set.labels());
        assertArrayEquals(new byte[] {20, 21, 22, 23, 24, 25}, set.pixels(2));
        assertEquals(ABC, set.classes());
        assertEquals("images-idx3-ubyte#1", set.source(1));
    }

    private DataException imageError(byte[] bytes) throws IOException {
        Path im = images(bytes);
        Path lb = labels(Fixtures.idx(new int[] {3}, new byte[] {2, 0, 1}));
        DataException e = assertThrows(DataException.class, () -> IdxFormat.read(im, lb, ABC));
        assertEquals(im.toString(), e.source(), "the error names the file");
        assertTrue(e.getMessage().startsWith(im.toString()));
        assertTrue(!e.fix().isEmpty(), "the error says how to fix it");
        return e;
    }

    @Test
    void emptyFile() throws IOException {
        assertEquals(DataException.Problem.EMPTY, imageError(new byte[0]).problem());
    }

    @Test
    void truncatedInHeader() throws IOException {
        byte[] good = Fixtures.idx(new int[] {3, 2, 3}, pixels());
        assertEquals(DataException.Problem.TRUNCATED, imageError(Arrays.copyOf(good, 2)).problem());
        assertEquals(DataException.Problem.TRUNCATED, imageError(Arrays.copyOf(good, 9)).problem());
    }

    @Test
    void truncatedMidRecordAndLastByte() throws IOException {
        byte[] good = Fixtures.idx(new int[] {3, 2, 3}, pixels());
        DataException mid = imageError(Arrays.copyOf(good, good.length - 8));
        assertEquals(DataException.Problem.TRUNCATED, mid.problem());
        assertTrue(mid.getMessage().contains("34 bytes expected, 26 present"), mid.getMessage());
        assertEquals(DataException.Problem.TRUNCATED, imageError(Arrays.copyOf(good, good.length - 1)).problem());
    }

    @Test
    void truncatedGzipIsTruncated() throws IOException {
        byte[] gz = Fixtures.gzip(Fixtures.idx(new int[] {3, 2, 3}, pixels()));
        assertEquals(DataException.Problem.TRUNCATED, imageError(Arrays.copyOf(gz, gz.length - 5)).problem());
    }

    @Test
    void trailingBytes() throws IOException {
        byte[] good = Fixtures.idx(new int[] {3, 2, 3}, pixels());
        assertEquals(DataException.Problem.TRAILING_BYTES, imageError(Arrays.copyOf(good, good.length + 1)).problem());
    }

    @Test
    void wrongMagicAndDtype() throws IOException {
        byte[] good = Fixtures.idx(new int[] {3, 2, 3}, pixels());
        byte[] magic = good.clone();
        magic[0] = 0x1f;
        magic[1] = 0x00;
        assertEquals(DataException.Problem.BAD_MAGIC, imageError(magic).problem());
        byte[] dtype = good.clone();
        dtype[2] = 0x0D; // float
        DataException e = imageError(dtype);
        assertEquals(DataException.Problem.BAD_MAGIC, e.problem());
        assertTrue(e.getMessage().contains("0x0d"), e.getMessage());
    }

    @Test
    void wrongRankAndDims() throws IOException {
        assertEquals(DataException.Problem.BAD_DIMENSIONS,
                imageError(Fixtures.idx(new int[] {18}, pixels())).problem());
        assertEquals(DataException.Problem.BAD_DIMENSIONS,
                imageError(Fixtures.idx(new int[] {3, 0, 3}, pixels())).problem());
        assertEquals(DataException.Problem.BAD_DIMENSIONS,
                imageError(Fixtures.idx(new int[] {3, -2, 3}, pixels())).problem());
    }

    @Test
    void hugeDeclaredSizeIsRefusedWithoutAllocating() throws IOException {
        // 100000 x 65536 x 65536 would be 4e14 bytes: refused from the header alone.
        assertEquals(DataException.Problem.BAD_DIMENSIONS,
                imageError(Fixtures.idx(new int[] {100000, 65536, 65536}, new byte[10])).problem());
        // 2^30 bytes declared but 10 present: reading stops at what is there.
        assertEquals(DataException.Problem.TRUNCATED,
                imageError(Fixtures.idx(new int[] {1024, 1024, 1024}, new byte[10])).problem());
    }

    @Test
    void countMismatch() throws IOException {
        Path im = images(Fixtures.idx(new int[] {3, 2, 3}, pixels()));
        Path lb = labels(Fixtures.idx(new int[] {2}, new byte[] {0, 1}));
        DataException e = assertThrows(DataException.class, () -> IdxFormat.read(im, lb, ABC));
        assertEquals(DataException.Problem.COUNT_MISMATCH, e.problem());
        assertEquals(lb.toString(), e.source());
        assertTrue(e.getMessage().contains("2 labels but images-idx3-ubyte has 3 images"), e.getMessage());
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path im = images(Fixtures.idx(new int[] {3, 2, 3}, pixels()));
        Path lb = labels(Fixtures.idx(new int[] {3}, new byte[] {0, 3, 1}));
        DataException e = assertThrows(DataException.class, () -> IdxFormat.read(im, lb, ABC));
        assertEquals(DataException.Problem.LABEL_OUT_OF_RANGE, e.problem());
        assertTrue(e.getMessage().contains("label 3 at index 1 is outside 0..2"), e.getMessage());
    }

    @Test
    void missingFile() {
        DataException e = assertThrows(DataException.class,
                () -> IdxFormat.read(dir.resolve("nope"), dir.resolve("nope2"), ABC));
        assertEquals(DataException.Problem.NOT_FOUND, e.problem());
    }
}
