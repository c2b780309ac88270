package dev.tuneup.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The image files of an ImageFolder directory or a CSV manifest ({@code path,label[,split]}), listed
 * without decoding, in exactly the order and
 * with exactly the class ids a load of the same folder or manifest gives ({@link ImageFolderFormat#readDirectory},
 * {@link ManifestFormat#read}):
 * classes sorted by code point, images in (split, class, source) order. Image {@code i} of a split here
 * is image {@code i} of that split of the loaded {@link ImageSet}, so work split across machines by
 * index (a corruption's per-image RNG is seeded by it) gives the numbers a single-machine run gives.
 * Files the load would refuse (wrong extension, nested too deep, not a regular file) are refused here,
 * all at once; files that fail to decode are found only when {@link #decode} reads them.
 *
 * @param name    the folder's name
 * @param classes class names, index = class id
 * @param splits  split name ({@link Dataset#TRAIN}, ..., {@link Dataset#ALL}) to its files, in load order
 */
public record ImageFiles(String name, List<String> classes, Map<String, List<File>> splits) {
    /** One image file: its path (the {@link ImageSet#source} a load gives it) and class id. */
    public record File(String source, int label) implements java.io.Serializable {
    }

    private static final List<String> SPLIT_ORDER = List.of(Dataset.TRAIN, Dataset.VAL, Dataset.TEST, Dataset.ALL);

    /**
     * Lists {@code root}, an ImageFolder directory or a {@code .csv} manifest (not an archive: a machine
     * that reads one file at a time needs the files themselves). A manifest's rows are checked as a load
     * checks them (paths inside its folder, each listed once); a listed file that is missing is found
     * when {@link #decode} reads it.
     *
     * @throws DataException when it is not a directory, holds no images, or holds files a load would refuse
     */
    public static ImageFiles list(Path root) {
        boolean manifest = Files.isRegularFile(root) && ManifestFormat.isManifest(root);
        if (!manifest && !Files.isDirectory(root)) {
            throw new DataException(root.toString(), DataException.Problem.NOT_FOUND, "is neither an ImageFolder"
                    + " directory nor a .csv manifest", ImageFolderFormat.isArchive(root) ? "unpack the archive (tar xzf "
                    + root + " -C DIR) and pass the folder it holds" : "pass a folder laid out as"
                    + " root/[split/]<class>/*.jpg, or a manifest of path,label[,split] rows");
        }
        record Listed(String split, String className, String source) {
        }
        List<Listed> good = new ArrayList<>();
        List<DataException> bad = new ArrayList<>();
        ImageFolderFormat.FileSink sink = new ImageFolderFormat.FileSink() {
            @Override
            public void submit(String split, String className, String source, java.util.concurrent.Callable<byte[]> b) {
                good.add(new Listed(split, className, source));
            }

            @Override
            public void reject(DataException e) {
                bad.add(e);
            }
        };
        if (manifest) {
            ManifestFormat.rows(root, LoadOptions.defaults(), sink);
        } else {
            for (FolderEntries.Entry e : FolderEntries.list(root)) {
                Path f = e.path();
                for (Path folder = f.getParent(); !folder.equals(root); folder = folder.getParent()) {
                    ClassNames.of(folder);
                }
                ImageFolderFormat.add(sink, root.relativize(f).toString().replace('\\', '/'), f.toString(), false,
                        e.problem(), null);
            }
        }
        if (!bad.isEmpty()) {
            throw new BadFilesException(root.toString(), bad);
        }
        if (good.isEmpty()) {
            throw new DataException(root.toString(), DataException.Problem.EMPTY, "holds no images",
                    "expected root/<class>/*.png|jpg|jpeg|bmp, optionally under train/, val/ and test/");
        }
        Map<String, String> firstSource = new LinkedHashMap<>();
        good.forEach(it -> firstSource.putIfAbsent(it.className, it.source));
        ClassNames.check(firstSource);
        TreeSet<String> names = new TreeSet<>(DecodePool.CODE_POINT);
        good.forEach(it -> names.add(it.className));
        List<String> classes = List.copyOf(names);
        good.sort(Comparator.comparingInt((Listed it) -> SPLIT_ORDER.indexOf(it.split))
                .thenComparing(it -> classes.indexOf(it.className)).thenComparing(it -> it.source, DecodePool.CODE_POINT));
        Map<String, List<File>> splits = new LinkedHashMap<>();
        for (Listed it : good) {
            splits.computeIfAbsent(it.split, k -> new ArrayList<>()).add(new File(it.source, classes.indexOf(it.className)));
        }
        String n = root.getFileName() == null ? root.toString()
                : root.getFileName().toString().replaceAll("(?i)\\.csv$", "");
        return new ImageFiles(n, classes, splits);
    }

    /** The files of {@code split}. */
    public List<File> split(String split) {
        List<File> files = splits.get(split);
        if (files == null) {
            throw new DataException(name, DataException.Problem.NOT_FOUND, "has no split '" + split + "'",
                    "use one of " + splits.keySet());
        }
        return files;
    }

    /**
     * Reads and decodes one listed file as a load with {@code options} would (size guard, header checks,
     * channels, and the options' size and fit rule).
     */
    public static Image decode(String source, LoadOptions options) {
        try {
            byte[] bytes = FileBytes.readImage(Path.of(source), options.maxFileBytes());
            return ImageDecoder.decode(bytes, source, options, options.height(), options.width());
        } catch (IOException e) {
            throw FileBytes.io(source, e);
        }
    }
}
