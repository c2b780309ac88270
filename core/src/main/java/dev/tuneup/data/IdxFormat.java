package dev.tuneup.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The IDX format of MNIST and Fashion-MNIST (raw or gzip). Checked: the two zero magic bytes, the
 * dtype (only unsigned byte, 0x08, is image data), the rank (3 for images, 1 for labels), positive
 * dimensions, the exact byte length (a short file is truncated, a long one has trailing bytes),
 * equal image and label counts, and labels within the class list.
 */
public final class IdxFormat {
    private static final int UBYTE = 0x08;

    private IdxFormat() {
    }

    /** A parsed IDX file: its dimensions and payload. */
    record Idx(int[] dims, byte[] data) {
        long count() {
            return dims[0];
        }
    }

    /**
     * Reads an image file and a label file into an {@link ImageSet}.
     *
     * @param classes the class names; labels must lie in {@code 0..classes.size()-1}. When null the
     *                classes are "0".."max label".
     */
    public static ImageSet read(Path imagesFile, Path labelsFile, List<String> classes) {
        Idx images = readIdx(imagesFile, 3);
        Idx labels = readIdx(labelsFile, 1);
        if (images.count() != labels.count()) {
            throw new DataException(labelsFile.toString(), DataException.Problem.COUNT_MISMATCH,
                    "has " + labels.count() + " labels but " + imagesFile.getFileName() + " has "
                            + images.count() + " images", "use the label file that belongs to these images");
        }
        int n = images.dims[0];
        int h = images.dims[1];
        int w = images.dims[2];
        int[] lab = new int[n];
        int max = 0;
        for (int i = 0; i < n; i++) {
            lab[i] = labels.data[i] & 0xFF;
            max = Math.max(max, lab[i]);
        }
        List<String> names = classes != null ? classes : numbered(max + 1);
        for (int i = 0; i < n; i++) {
            if (lab[i] >= names.size()) {
                throw new DataException(labelsFile.toString(), DataException.Problem.LABEL_OUT_OF_RANGE,
                        "label " + lab[i] + " at index " + i + " is outside 0.." + (names.size() - 1),
                        "this label file does not belong to a " + names.size() + "-class data set");
            }
        }
        int bytes = h * w;
        byte[][] pix = new byte[n][];
        String[] src = new String[n];
        String base = imagesFile.getFileName().toString();
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[bytes];
            System.arraycopy(images.data, i * bytes, p, 0, bytes);
            pix[i] = p;
            src[i] = base + "#" + i;
        }
        return new ImageSet(h, w, 1, names, pix, lab, src);
    }

    /** Reads and validates one IDX file of unsigned bytes with the expected rank. */
    static Idx readIdx(Path file, int rank) {
        String source = file.toString();
        try (InputStream in = FileBytes.open(file)) {
            byte[] head = FileBytes.readAtMost(in, 4, source);
            if (head.length == 0) {
                throw new DataException(source, DataException.Problem.EMPTY, "file is empty",
                        "download the file again");
            }
            if (head.length < 4) {
                throw truncated(source, "header", 4, head.length);
            }
            if (head[0] != 0 || head[1] != 0) {
                throw new DataException(source, DataException.Problem.BAD_MAGIC, String.format(
                        "bad magic %02x %02x %02x %02x: an IDX file starts with two zero bytes",
                        head[0], head[1], head[2], head[3]), "this is not an IDX file; check the path");
            }
            int dtype = head[2] & 0xFF;
            int ndim = head[3] & 0xFF;
            if (dtype != UBYTE) {
                throw new DataException(source, DataException.Problem.BAD_MAGIC, String.format(
                        "dtype 0x%02x is not unsigned byte (0x08)", dtype),
                        "tuneup reads 8-bit IDX images and labels only");
            }
            if (ndim != rank) {
                throw new DataException(source, DataException.Problem.BAD_DIMENSIONS, "has rank " + ndim
                        + ", expected " + rank + (rank == 3 ? " (count, rows, columns)" : " (count)"),
                        rank == 3 ? "pass the images file here" : "pass the labels file here");
            }
            byte[] dimBytes = FileBytes.readAtMost(in, 4L * ndim, source);
            if (dimBytes.length < 4 * ndim) {
                throw truncated(source, "dimensions", 4 + 4 * ndim, 4 + dimBytes.length);
            }
            int[] dims = new int[ndim];
            long payload = 1;
            for (int d = 0; d < ndim; d++) {
                int o = 4 * d;
                dims[d] = ((dimBytes[o] & 0xFF) << 24) | ((dimBytes[o + 1] & 0xFF) << 16)
                        | ((dimBytes[o + 2] & 0xFF) << 8) | (dimBytes[o + 3] & 0xFF);
                if (dims[d] <= 0 || (d > 0 && dims[d] > 65536)) {
                    throw new DataException(source, DataException.Problem.BAD_DIMENSIONS,
                            "dimension " + d + " is " + Integer.toUnsignedString(dims[d]),
                            "the header is damaged; download the file again");
                }
                payload *= dims[d];
            }
            if (payload > Integer.MAX_VALUE - 16) {
                throw new DataException(source, DataException.Problem.BAD_DIMENSIONS, "declares "
                        + payload + " bytes of data, more than tuneup reads from one IDX file",
                        "split the file or check that its header is not damaged");
            }
            long headerBytes = 4 + 4L * ndim;
            byte[] data = FileBytes.readAtMost(in, payload + 1, source);
            if (data.length < payload) {
                throw truncated(source, "data", headerBytes + payload, headerBytes + data.length);
            }
            if (data.length > payload) {
                throw new DataException(source, DataException.Problem.TRAILING_BYTES, "has bytes after the "
                        + payload + " the header declares", "the file is damaged or not the one expected");
            }
            return new Idx(dims, data);
        } catch (IOException e) {
            throw FileBytes.io(source, e);
        }
    }

    private static DataException truncated(String source, String part, long expected, long actual) {
        return new DataException(source, DataException.Problem.TRUNCATED, "truncated in the " + part
                + ": " + expected + " bytes expected, " + actual + " present",
                "download the file again; this copy is incomplete");
    }

    static List<String> numbered(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }
}
