package dev.tuneup.evaluate;

import dev.tuneup.TuneupException;
import dev.tuneup.data.ImageSet;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/**
 * How a corrupted set lies on disk, in one folder that tuneup's own loaders read back:
 * <ul>
 * <li>{@code imagefolder}: {@code <class>/<i>.png}, {@code i} the index in the clean set (gray or RGB
 * PNG, lossless). Class folder names are the class names with path separators replaced.</li>
 * <li>{@code idx}: {@code t10k-images-idx3-ubyte.gz} and {@code t10k-labels-idx1-ubyte.gz}, as
 * MNIST ships them (1-channel data, at most 256 classes).</li>
 * </ul>
 */
public enum CorruptionFormat {
    IMAGEFOLDER, IDX;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CorruptionFormat byId(String id) {
        for (CorruptionFormat f : values()) {
            if (f.id().equalsIgnoreCase(id.strip())) {
                return f;
            }
        }
        throw new TuneupException("unknown format '" + id + "'", "use imagefolder or idx");
    }

    /** Fails early, before any work, when {@code set} cannot be written in this format. */
    public void check(ImageSet set) {
        if (this == IDX && set.channels() != 1) {
            throw new TuneupException("IDX holds 1-channel images; this set has " + set.channels() + " channels",
                    "use --format imagefolder for colour data");
        }
        if (this == IDX && set.numClasses() > 256) {
            throw new TuneupException("IDX labels are single bytes; this set has " + set.numClasses() + " classes",
                    "use --format imagefolder");
        }
        if (this == IMAGEFOLDER) {
            classFolders(set.classes());
        }
    }

    /** Writes {@code set} into the existing, empty folder {@code dir}. */
    void write(ImageSet set, Path dir) throws IOException {
        check(set);
        if (this == IDX) {
            writeIdx(set, dir);
            return;
        }
        List<String> folders = classFolders(set.classes());
        for (String f : folders) {
            Files.createDirectories(dir.resolve(f));
        }
        try {
            IntStream.range(0, set.size()).parallel().forEach(i -> {
                try {
                    writePng(set, i, dir.resolve(folders.get(set.label(i))).resolve(i + ".png"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The folder name of each class: the name with '/', '\' and ':' replaced by '_' (never empty or dotted). */
    public static List<String> classFolders(List<String> classes) {
        List<String> folders = classes.stream().map(c -> {
            String f = c.replaceAll("[/\\\\:\\x00]", "_");
            return f.isEmpty() || f.startsWith(".") ? "_" + f : f;
        }).toList();
        if (new java.util.HashSet<>(folders).size() < folders.size()) {
            throw new TuneupException("class names " + classes + " collide as folder names " + folders,
                    "rename the classes, or use --format idx for 1-channel data");
        }
        return folders;
    }

    private static void writePng(ImageSet set, int i, Path file) throws IOException {
        int h = set.height();
        int w = set.width();
        BufferedImage bi = new BufferedImage(w, h,
                set.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        bi.getRaster().setPixels(0, 0, w, h, CorruptionDigital.toInts(set.pixels(i)));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            if (!ImageIO.write(bi, "png", out)) {
                throw new IOException("this Java runtime has no PNG writer in ImageIO");
            }
        }
    }

    private static void writeIdx(ImageSet set, Path dir) throws IOException {
        int n = set.size();
        try (DataOutputStream out = gzip(dir.resolve("t10k-images-idx3-ubyte.gz"))) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(set.height());
            out.writeInt(set.width());
            for (int i = 0; i < n; i++) {
                out.write(set.pixels(i));
            }
        }
        try (DataOutputStream out = gzip(dir.resolve("t10k-labels-idx1-ubyte.gz"))) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(set.label(i));
            }
        }
    }

    private static DataOutputStream gzip(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)));
    }
}
