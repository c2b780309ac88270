package dev.tuneup.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads whole (optionally gzip-compressed) files with a cap on how much is read. */
final class FileBytes {
    private FileBytes() {
    }

    /** True when the file starts with the gzip magic bytes (the extension is not trusted). */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * Opens {@code file}, transparently decompressing gzip. Missing files raise
     * {@link DataException.Problem#NOT_FOUND}.
     */
    static InputStream open(Path file) {
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            return isGzip(file) ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (NoSuchFileException e) {
            throw new DataException(file.toString(), DataException.Problem.NOT_FOUND, "file not found",
                    "check the path, or run 'tuneup data fetch' for a named data set");
        } catch (IOException e) {
            throw io(file.toString(), e);
        }
    }

    /** Reads up to {@code max} bytes; a damaged gzip stream is reported as a truncated file. */
    static byte[] readAtMost(InputStream in, long max, String source) {
        try {
            return in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8));
        } catch (EOFException | ZipException e) {
            throw new DataException(source, DataException.Problem.TRUNCATED,
                    "compressed stream ends early or is damaged (" + e.getMessage() + ")",
                    "download the file again; its copy here is incomplete");
        } catch (IOException e) {
            throw io(source, e);
        }
    }

    /** Reads a whole image file; one larger than {@code max} bytes is refused before it is read. */
    static byte[] readImage(Path file, long max) throws IOException {
        String source = file.toString();
        long size = Files.size(file);
        if (size > max) {
            throw tooLarge(source, size, max);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) max + 1);
            if (bytes.length > max) {
                throw tooLarge(source, bytes.length, max); // it grew while we read it
            }
            return bytes;
        }
    }

    static DataException tooLarge(String source, long size, long max) {
        return new DataException(source, DataException.Problem.FILE_TOO_LARGE, size + " bytes, above the limit of "
                + max + " bytes per image file", "shrink or re-encode it, or raise the limit (--max-file-bytes) if it is"
                + " genuine");
    }

    static DataException io(String source, IOException e) {
        return new DataException(source, DataException.Problem.IO, "cannot read: " + e,
                "check that the file exists and is readable", e);
    }
}
