package dev.tuneup.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * ImageFolder layout, {@code root/<class>/*.{png,jpg,jpeg,bmp}}, optionally with {@code train/},
 * {@code val/} ({@code valid/}, {@code validation/}) and {@code test/} levels above the class
 * folders; read from a directory or straight from a {@code .tar} / {@code .tar.gz} of that layout
 * (any single top folder in the archive is allowed). Class ids are the class folder names sorted
 * by code point, unless {@link LoadOptions#classes()} pins them.
 *
 * <p>A file inside a class folder with another extension is reported as a bad file, never dropped
 * silently, as is any entry that is not a regular file (pipe, device, broken link, link loop);
 * symbolic links to class folders and files are followed; regular files outside class folders (a
 * README at the root) and hidden files are ignored.
 */
public final class ImageFolderFormat {
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp");

    private ImageFolderFormat() {
    }

    /** True for names ending in .tar, .tar.gz or .tgz. */
    public static boolean isArchive(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz");
    }

    public static Dataset read(Path root, LoadOptions options) {
        return isArchive(root) ? readArchive(root, options) : readDirectory(root, options);
    }

    public static Dataset readDirectory(Path root, LoadOptions options) {
        if (!Files.isDirectory(root)) {
            throw new DataException(root.toString(), DataException.Problem.NOT_FOUND, "no such directory",
                    "pass a folder laid out as root/<class>/*.jpg");
        }
        try (DecodePool pool = new DecodePool(options)) {
            for (FolderEntries.Entry e : FolderEntries.list(root)) {
                Path f = e.path();
                for (Path folder = f.getParent(); !folder.equals(root); folder = folder.getParent()) {
                    ClassNames.of(folder);
                }
                String rel = root.relativize(f).toString().replace('\\', '/');
                add(pool, rel, f.toString(), false, e.problem(), () -> FileBytes.readImage(f, options.maxFileBytes()));
            }
            return pool.finish(name(root), root.toString());
        }
    }

    public static Dataset readArchive(Path archive, LoadOptions options) {
        if (!Files.isRegularFile(archive)) {
            throw new DataException(archive.toString(), DataException.Problem.NOT_FOUND, "no such file",
                    "check the path");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             InputStream in = FileBytes.isGzip(archive) ? new GzipCompressorInputStream(raw) : raw;
             TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8"); // not the platform's charset
             DecodePool pool = new DecodePool(options)) {
            String top = null;
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isSymbolicLink() || e.isLink() || e.isFIFO() || e.isCharacterDevice() || e.isBlockDevice()) {
                    add(pool, e.getName(), archive + "!" + e.getName(), true, "is a link or special file in the"
                            + " archive, not an image file", null);
                    continue;
                }
                if (!e.isFile()) {
                    continue;
                }
                if (e.getSize() > options.maxFileBytes()) {
                    pool.reject(FileBytes.tooLarge(archive + "!" + e.getName(), e.getSize(), options.maxFileBytes()));
                    continue;
                }
                byte[] bytes = tar.readNBytes((int) e.getSize());
                String source = archive + "!" + e.getName();
                if (bytes.length < e.getSize()) {
                    pool.reject(new DataException(source, DataException.Problem.TRUNCATED, "archive ends inside"
                            + " this entry", "the archive is incomplete; download or pack it again"));
                    break;
                }
                add(pool, e.getName(), source, true, null, () -> bytes);
            }
            return pool.finish(name(archive), archive.toString());
        } catch (IOException ex) {
            throw new DataException(archive.toString(), DataException.Problem.TRUNCATED,
                    "the archive is damaged or ends early (" + ex.getMessage() + ")",
                    "download or pack the archive again", ex);
        }
    }

    /**
     * Classifies one relative path as {@code [top/][split/]class/file} and queues it. {@code top} is
     * allowed in archives only (a tar usually holds one folder). An entry with a {@code problem} (not a
     * regular file) is reported wherever it is, unless hidden.
     */
    static void add(FileSink pool, String rel, String source, boolean archive, String problem,
                            java.util.concurrent.Callable<byte[]> bytes) {
        String[] parts = rel.split("/");
        if (archive && ((parts.length == 4 && splitName(parts[1]) != null)
                || (parts.length == 3 && splitName(parts[0]) == null))) {
            parts = java.util.Arrays.copyOfRange(parts, 1, parts.length);
        } else if (archive && parts.length == 2 && !isImage(parts[1])) {
            return; // top/README: not in a class folder
        }
        String file = parts[parts.length - 1];
        if (file.startsWith(".")) {
            return; // hidden files are not data
        }
        if (problem != null) {
            pool.reject(new DataException(source, DataException.Problem.NOT_AN_IMAGE, problem,
                    "remove it, or replace it with the image file it should be"));
            return;
        }
        if (parts.length < 2) {
            return; // files at the root are not data
        }
        if (parts.length > 3 || (parts.length == 3 && splitName(parts[0]) == null)) {
            pool.reject(new DataException(source, DataException.Problem.BAD_DIMENSIONS, "is nested deeper than"
                    + " [split/]class/file", "move it up into its class folder"));
            return;
        }
        if (!isImage(file)) {
            pool.reject(new DataException(source, DataException.Problem.NOT_AN_IMAGE, "extension of '" + file
                    + "' is not one of " + EXTENSIONS, "remove the file from the class folder"));
            return;
        }
        String split = parts.length == 3 ? splitName(parts[0]) : Dataset.ALL;
        pool.submit(split, parts[parts.length - 2], source, bytes);
    }

    /** Where {@link #add} sends a classified file: to be decoded ({@link DecodePool}) or only listed ({@link ImageFiles}). */
    interface FileSink {
        void submit(String split, String className, String source, java.util.concurrent.Callable<byte[]> bytes);

        void reject(DataException e);
    }

    private static boolean isImage(String file) {
        int dot = file.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(file.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static String splitName(String dir) {
        switch (dir.toLowerCase(Locale.ROOT)) {
            case "train":
            case "training":
                return Dataset.TRAIN;
            case "val":
            case "valid":
            case "validation":
                return Dataset.VAL;
            case "test":
            case "testing":
                return Dataset.TEST;
            default:
                return null;
        }
    }

    private static String name(Path p) {
        String n = p.getFileName().toString();
        return n.replaceAll("(?i)(\\.tar\\.gz|\\.tgz|\\.tar)$", "");
    }
}
