package dev.tuneup.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CIFAR-10 and CIFAR-100 binary versions. A CIFAR-10 record is 1 label byte + 3072 pixel bytes
 * (32x32, planar R, G, B); a CIFAR-100 record has 2 label bytes (coarse, fine; the fine label is
 * used). Checked: the file length is a whole number of records, labels lie within the class list,
 * the class-name file has the right number of names.
 */
public final class CifarBinaryFormat {
    static final int SIDE = 32;
    static final int PIXELS = SIDE * SIDE * 3;
    static final List<String> CIFAR10_TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");

    private CifarBinaryFormat() {
    }

    /** True when {@code dir} holds the official CIFAR-10 or CIFAR-100 binary layout. */
    public static boolean isLayout(Path dir) {
        return Files.isRegularFile(dir.resolve("test_batch.bin")) || Files.isRegularFile(dir.resolve("test.bin"))
                && Files.isRegularFile(dir.resolve("train.bin"));
    }

    /**
     * Reads the official layout: CIFAR-10 ({@code data_batch_1..5.bin}, {@code test_batch.bin},
     * {@code batches.meta.txt}) or CIFAR-100 ({@code train.bin}, {@code test.bin},
     * {@code fine_label_names.txt}). Missing class-name files fall back to numbered classes.
     */
    public static Dataset readDirectory(Path dir) {
        Map<String, ImageSet> splits = new LinkedHashMap<>();
        if (Files.isRegularFile(dir.resolve("test_batch.bin"))) {
            List<String> classes = classNames(dir.resolve("batches.meta.txt"), 10);
            List<Path> train = new ArrayList<>();
            for (String f : CIFAR10_TRAIN) {
                train.add(dir.resolve(f));
            }
            splits.put(Dataset.TRAIN, read(train, 1, classes));
            splits.put(Dataset.TEST, read(List.of(dir.resolve("test_batch.bin")), 1, classes));
            return new Dataset("cifar10", splits, List.of());
        }
        List<String> classes = classNames(dir.resolve("fine_label_names.txt"), 100);
        splits.put(Dataset.TRAIN, read(List.of(dir.resolve("train.bin")), 2, classes));
        splits.put(Dataset.TEST, read(List.of(dir.resolve("test.bin")), 2, classes));
        return new Dataset("cifar100", splits, List.of());
    }

    /**
     * Reads one or more record files into one set.
     *
     * @param labelBytes 1 for CIFAR-10 records (3073 bytes), 2 for CIFAR-100 (3074 bytes)
     */
    public static ImageSet read(List<Path> files, int labelBytes, List<String> classes) {
        int record = labelBytes + PIXELS;
        List<byte[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Path file : files) {
            byte[] all = readAll(file);
            String name = file.toString();
            if (all.length == 0) {
                throw new DataException(name, DataException.Problem.EMPTY, "file is empty",
                        "download the data set again");
            }
            if (all.length % record != 0) {
                throw new DataException(name, DataException.Problem.TRUNCATED, all.length
                        + " bytes is not a whole number of " + record + "-byte records ("
                        + all.length / record + " complete, " + all.length % record + " bytes left over)",
                        labelBytes == 1 && all.length % (record + 1) == 0
                                ? "this looks like CIFAR-100 (3074-byte records); read it as cifar100"
                                : "download the data set again; this copy is incomplete");
            }
            int n = all.length / record;
            for (int i = 0; i < n; i++) {
                int off = i * record;
                int label = all[off + labelBytes - 1] & 0xFF;
                if (label >= classes.size()) {
                    throw new DataException(name, DataException.Problem.LABEL_OUT_OF_RANGE, "record " + i
                            + " has label " + label + ", outside 0.." + (classes.size() - 1),
                            "check that this is a " + classes.size() + "-class CIFAR file");
                }
                images.add(planarToInterleaved(all, off + labelBytes));
                labels.add(label);
                sources.add(file.getFileName() + "#" + i);
            }
        }
        return new ImageSet(SIDE, SIDE, 3, classes, images.toArray(new byte[0][]),
                labels.stream().mapToInt(Integer::intValue).toArray(), sources.toArray(new String[0]));
    }

    private static byte[] planarToInterleaved(byte[] src, int off) {
        int plane = SIDE * SIDE;
        byte[] out = new byte[PIXELS];
        for (int p = 0; p < plane; p++) {
            out[3 * p] = src[off + p];
            out[3 * p + 1] = src[off + plane + p];
            out[3 * p + 2] = src[off + 2 * plane + p];
        }
        return out;
    }

    /** Class names, one per non-blank line; a missing file gives numbered classes. */
    static List<String> classNames(Path file, int expected) {
        if (!Files.exists(file)) {
            return IdxFormat.numbered(expected);
        }
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw FileBytes.io(file.toString(), e);
        }
        if (names.size() != expected) {
            throw new DataException(file.toString(), DataException.Problem.BAD_DIMENSIONS, "lists "
                    + names.size() + " class names, expected " + expected, "restore the original file");
        }
        return names;
    }

    private static byte[] readAll(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file.toString(), DataException.Problem.NOT_FOUND, "file not found",
                    "the official layout has data_batch_1..5.bin and test_batch.bin; download the data set again");
        }
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 16) {
                throw new DataException(file.toString(), DataException.Problem.BAD_DIMENSIONS,
                        "is " + size + " bytes, larger than a CIFAR file can be", "check the path");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw FileBytes.io(file.toString(), e);
        }
    }
}
