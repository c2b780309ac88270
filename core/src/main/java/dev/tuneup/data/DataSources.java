package dev.tuneup.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns what a user types ({@code fashion-mnist}, {@code cifar10}, or any path) into a
 * {@link Dataset}. Names resolve through a search path; paths are detected by format: an IDX
 * folder, the CIFAR binary layout, a {@code .csv} manifest, a {@code .tar}/{@code .tar.gz} or a
 * folder in ImageFolder layout.
 */
public final class DataSources {
    /** The Debian package {@code dataset-fashion-mnist} installs its files here. */
    public static final Path DEBIAN = Path.of("/usr/share/datasets");

    private DataSources() {
    }

    /**
     * The folders searched for named data sets, in order: {@code extra} (e.g. {@code --data-dir}),
     * each entry of {@code $TUNEUP_DATA} (separated by ':'), the Debian location, the user cache
     * {@code ~/.cache/tuneup/data}.
     */
    public static List<Path> searchPath(List<Path> extra) {
        List<Path> dirs = new ArrayList<>(extra);
        String env = System.getenv("TUNEUP_DATA");
        if (env != null && !env.isBlank()) {
            for (String p : env.split(":")) {
                if (!p.isBlank()) {
                    dirs.add(Path.of(p));
                }
            }
        }
        dirs.add(DEBIAN);
        dirs.add(cacheDir());
        return dirs;
    }

    /** Where {@code tuneup data fetch} puts files by default. */
    public static Path cacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "tuneup", "data");
    }

    public static Dataset load(String spec, List<Path> dataDirs, LoadOptions options) {
        Path path = Path.of(spec);
        if (Files.exists(path)) {
            return loadPath(path, null, options);
        }
        KnownDataset known = KnownDataset.byName(spec);
        if (known == null) {
            throw new DataException(spec, DataException.Problem.NOT_FOUND, "is neither a data set name nor an"
                    + " existing path", "use one of " + KnownDataset.names() + ", or a path to an IDX folder,"
                    + " CIFAR binary folder, ImageFolder (folder or .tar.gz) or .csv manifest");
        }
        List<Path> dirs = searchPath(dataDirs);
        Path found = locate(known, dirs);
        if (found == null) {
            throw new DataException(known.id(), DataException.Problem.NOT_FOUND, "not found in " + dirs,
                    "run 'tuneup data fetch " + known.id() + "', or put the files in one of those folders"
                            + " (e.g. " + dirs.get(dirs.size() - 1).resolve(known.folder()) + "), or set TUNEUP_DATA");
        }
        Dataset d = loadPath(found, known, options);
        return new Dataset(known.id(), d.splits(), d.skipped());
    }

    /** The first place in {@code dirs} that holds {@code known}, or null. */
    public static Path locate(KnownDataset known, List<Path> dirs) {
        List<String> candidates = switch (known) {
            case FASHION_MNIST -> List.of("fashion-mnist", "fashion_mnist", "FashionMNIST/raw");
            case CIFAR10 -> List.of("cifar10", "cifar10-jpg.tar.gz", "cifar-10-batches-bin", "cifar10.tar.gz");
        };
        for (Path dir : dirs) {
            for (String c : candidates) {
                Path p = dir.resolve(c);
                if (known == KnownDataset.FASHION_MNIST ? idxFile(p, "train", "images") != null : Files.exists(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Loads an existing path, detecting its format; {@code known} supplies class names for IDX. */
    public static Dataset loadPath(Path path, KnownDataset known, LoadOptions options) {
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        if (Files.isDirectory(path)) {
            if (idxFile(path, "train", "images") != null || idxFile(path, "t10k", "images") != null) {
                boolean fashion = known == KnownDataset.FASHION_MNIST
                        || path.toString().toLowerCase(Locale.ROOT).contains("fashion");
                return readIdxFolder(path, fashion ? KnownDataset.FASHION_MNIST.classes() : options.classes());
            }
            if (CifarBinaryFormat.isLayout(path)) {
                return CifarBinaryFormat.readDirectory(path);
            }
            refuseOtherIdxNames(path);
            return ImageFolderFormat.readDirectory(path, options);
        }
        if (ManifestFormat.isManifest(path)) {
            return ManifestFormat.read(path, options);
        }
        if (ImageFolderFormat.isArchive(path)) {
            return ImageFolderFormat.readArchive(path, options);
        }
        if (name.toLowerCase(Locale.ROOT).endsWith(".bin")) {
            return new Dataset(name, Map.of(Dataset.ALL, CifarBinaryFormat.read(List.of(path), 1,
                    KnownDataset.CIFAR10.classes())), List.of());
        }
        throw new DataException(path.toString(), DataException.Problem.NOT_AN_IMAGE, "is not a data set format"
                + " tuneup reads", "pass an IDX folder, CIFAR .bin file or folder, ImageFolder folder or .tar.gz,"
                + " or a .csv manifest");
    }

    private static Dataset readIdxFolder(Path dir, List<String> classes) {
        List<String> splits = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        List<Path> labels = new ArrayList<>();
        for (String[] s : new String[][] {{"train", Dataset.TRAIN}, {"t10k", Dataset.TEST}}) {
            Path image = idxFile(dir, s[0], "images");
            if (image == null) {
                continue;
            }
            Path label = idxFile(dir, s[0], "labels");
            if (label == null) {
                throw new DataException(dir.resolve(s[0] + "-labels-idx1-ubyte.gz").toString(),
                        DataException.Problem.NOT_FOUND, "label file missing beside " + image.getFileName(),
                        "put the matching labels file in " + dir);
            }
            splits.add(s[1]);
            images.add(image);
            labels.add(label);
        }
        List<ImageSet> sets = IdxFormat.read(images, labels, classes);
        Map<String, ImageSet> bySplit = new LinkedHashMap<>();
        for (int i = 0; i < splits.size(); i++) {
            bySplit.put(splits.get(i), sets.get(i));
        }
        return new Dataset(dir.getFileName().toString(), bySplit, List.of());
    }

    /** Refuses a folder of IDX files under other names than MNIST's, which would otherwise be read as an ImageFolder. */
    private static void refuseOtherIdxNames(Path dir) {
        List<String> idx;
        try (var list = Files.list(dir)) {
            idx = list.map(p -> p.getFileName().toString())
                    .filter(n -> n.toLowerCase(Locale.ROOT).matches(".*idx[13]-ubyte(\\.gz)?")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new DataException(dir.toString(), DataException.Problem.IO, "cannot list: " + e.getMessage(),
                    "check that the folder is readable", e);
        }
        if (!idx.isEmpty()) {
            throw new DataException(dir.toString(), DataException.Problem.NOT_FOUND, "holds IDX files " + idx
                    + " but none named train-images-idx3-ubyte[.gz] or t10k-images-idx3-ubyte[.gz]",
                    "rename them as MNIST names them: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz and,"
                            + " for the test split, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz");
        }
    }

    private static Path idxFile(Path dir, String prefix, String kind) {
        String rank = kind.equals("images") ? "idx3" : "idx1";
        for (String n : List.of(prefix + "-" + kind + "-" + rank + "-ubyte.gz", prefix + "-" + kind + "-" + rank + "-ubyte",
                prefix + "-" + kind + "." + rank + "-ubyte")) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
