package dev.tuneup.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A CSV manifest, {@code path,label[,split]}, one image per row, so labels can be corrected
 * without moving files. Paths are relative to the manifest's folder and must stay under it (absolute
 * paths and {@code ..} out of it only with {@link LoadOptions#outsidePaths()}); an image may be listed
 * once only; an optional header row starts with {@code path}; the split is {@code train}, {@code val}
 * or {@code test} (empty: {@code all}). Errors name the manifest line.
 */
public final class ManifestFormat {
    private ManifestFormat() {
    }

    public static boolean isManifest(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    public static Dataset read(Path manifest, LoadOptions options) {
        try (DecodePool pool = new DecodePool(options)) {
            rows(manifest, options, pool);
            return pool.finish(manifest.getFileName().toString().replaceAll("(?i)\\.csv$", ""), manifest.toString());
        }
    }

    /** Checks every row of {@code manifest} and hands each image file to {@code pool}, in row order. */
    static void rows(Path manifest, LoadOptions options, ImageFolderFormat.FileSink pool) {
        if (!Files.isRegularFile(manifest)) {
            throw new DataException(manifest.toString(), DataException.Problem.NOT_FOUND, "no such file",
                    "check the path");
        }
        Path base = manifest.toAbsolutePath().getParent();
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .enable(CsvParser.Feature.TRIM_SPACES).enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        try (MappingIterator<String[]> rows = mapper.readerFor(String[].class).readValues(manifest.toFile())) {
            int line = 0;
            Map<Path, String> listed = new HashMap<>();
            while (hasNext(rows, manifest, line)) {
                String[] row;
                try {
                    row = rows.next();
                } catch (RuntimeException e) {
                    throw notText(manifest, line, e);
                }
                line++;
                if (line == 1 && row.length > 0 && row[0].equalsIgnoreCase("path")) {
                    continue;
                }
                String where = manifest + ":" + line;
                if (row.length < 2 || row.length > 3 || row[0].isEmpty() || row[1].isEmpty()) {
                    throw new DataException(where, DataException.Problem.BAD_MANIFEST, "expected path,label[,split]"
                            + " but found " + row.length + " field(s): " + String.join(",", row),
                            "give every row a path and a class name");
                }
                String split = Dataset.ALL;
                if (row.length == 3 && !row[2].isEmpty()) {
                    split = ImageFolderFormat.splitName(row[2]);
                    if (split == null) {
                        throw new DataException(where, DataException.Problem.BAD_MANIFEST, "unknown split '"
                                + row[2] + "'", "use train, val or test, or leave it empty");
                    }
                }
                Path file = resolve(base, row[0], where);
                if (!file.startsWith(base) && !options.outsidePaths()) {
                    throw new DataException(where, DataException.Problem.BAD_MANIFEST, "path '" + row[0]
                            + "' is outside the manifest's folder " + base, "move the image under " + base
                            + ", or allow paths outside it (--allow-outside-paths) if you trust this manifest");
                }
                String before = listed.putIfAbsent(file, where);
                if (before != null) {
                    throw new DataException(where, DataException.Problem.BAD_MANIFEST, "lists " + file
                            + " again; it is already listed at " + before, "list each image once, with one label"
                            + " and one split");
                }
                pool.submit(split, row[1], file.toString(), () -> readImageFile(file, where, options.maxFileBytes()));
            }
        } catch (IOException e) {
            throw new DataException(manifest.toString(), DataException.Problem.BAD_MANIFEST,
                    "not a readable CSV: " + e.getMessage(), "write it as path,label[,split] rows", e);
        }
    }

    /**
     * Whether another row follows; a row that is not UTF-8 text (Jackson reads ahead, so the failure
     * comes here or at next()) is refused naming the line after the last good one.
     */
    private static boolean hasNext(MappingIterator<String[]> rows, Path manifest, int line) {
        try {
            return rows.hasNext();
        } catch (RuntimeException e) {
            throw notText(manifest, line, e);
        }
    }

    private static DataException notText(Path manifest, int line, RuntimeException e) {
        return new DataException(manifest + ":" + (line + 1), DataException.Problem.BAD_MANIFEST,
                "is not readable CSV text (" + e.getClass().getSimpleName() + ")",
                "save the manifest as UTF-8 text with path,label[,split] rows", e);
    }

    /** The image path of a row, refused when no file could be named that (e.g. a NUL character). */
    private static Path resolve(Path base, String path, String where) {
        try {
            return base.resolve(path).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new DataException(where, DataException.Problem.BAD_MANIFEST, "path has a character no file name may"
                    + " hold (" + e.getReason() + ")", "write the image's path relative to the manifest's folder");
        }
    }

    private static byte[] readImageFile(Path file, String where, long max) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file.toString(), DataException.Problem.NOT_FOUND, "listed at " + where
                    + " but not found", "fix the path in the manifest or remove the row");
        }
        return FileBytes.readImage(file, max);
    }
}
