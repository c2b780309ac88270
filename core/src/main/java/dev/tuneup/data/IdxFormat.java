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
     *                classes are "0".."max label", and every one of them must have an image.
     */
    public static ImageSet read(Path imagesFile, Path labelsFile, List<String> classes) {
        return read(List.of(imagesFile), List.of(labelsFile), classes).get(0);
    }

    /** Reads image/label file pairs (e.g. train and test) that share one class list; see {@link #read(Path, Path, List)}. */
    public static List<ImageSet> read(List<Path> imageFiles, List<Path> labelFiles, List<String> classes) {
        List<Idx> labels = new ArrayList<>();
        for (Path f : labelFiles) {
            labels.add(readIdx(f, 1));
        }
        List<String> names = classes != null ? classes : numbered(labelFiles, labels);
        List<ImageSet> sets = new ArrayList<>();
        for (int k = 0; k < imageFiles.size(); k++) {
            sets.add(build(imageFiles.get(k), readIdx(imageFiles.get(k), 3), labelFiles.get(k), labels.get(k), names));
        }
        return sets;
    }

    /**
     * "0".."max label" over all label files; a class id below the maximum without any image means the
     * labels are damaged (a stray 200 among digits) or the class list must be given.
     */
    private static List<String> numbered(List<Path> files, List<Idx> labels) {
        boolean[] seen = new boolean[256];
        for (Idx l : labels) {
            for (byte b : l.data) {
                seen[b & 0xFF] = true;
            }
        }
        int missing = 0;
        while (missing < 256 && seen[missing]) {
            missing++;
        }
        for (int k = 0; k < labels.size(); k++) {
            byte[] data = labels.get(k).data;
            for (int i = 0; i < data.length; i++) {
                if ((data[i] & 0xFF) > missing) {
                    throw new DataException(files.get(k).toString(), DataException.Problem.LABEL_OUT_OF_RANGE,
                            "label " + (data[i] & 0xFF) + " at index " + i + " would make " + ((data[i] & 0xFF) + 1)
                                    + " classes, but class " + missing + " has no image",
                            "fix the label file, or pin the class list (--classes) if the data set really has"
                                    + " classes without images");
                }
            }
        }
        return numbered(missing);
    }

    private static ImageSet build(Path imagesFile, Idx images, Path labelsFile, Idx labels, List<String> names) {
        if (images.count() != labels.count()) {
            throw new DataException(labelsFile.toString(), DataException.Problem.COUNT_MISMATCH,
                    "has " + labels.count() + " labels but " + imagesFile.getFileName() + " has "
                            + images.count() + " images", "use the label file that belongs to these images");
        }
        int n = images.dims[0];
        int h = images.dims[1];
        int w = images.dims[2];
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            lab[i] = labels.data[i] & 0xFF;
            if (lab[i] >= names.size()) {
                throw new DataException(labelsFile.toString(), DataException.Problem.LABEL_OUT_OF_RANGE,
                        "label " + lab[i] + " at index " + i + " is outside 0.." + (names.size() - 1)
                                + " (the data set declares " + names.size() + " classes)",
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
