package dev.tuneup.data;

import java.util.List;
import java.util.Locale;

/**
 * The data sets tuneup knows by name: where their canonical files come from (with the MD5 the
 * authors publish) and what the files are called on disk.
 */
public enum KnownDataset {
    FASHION_MNIST("fashion-mnist", "fashion-mnist",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                    "Bag", "Ankle boot"),
            List.of(new Remote("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz",
                            "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                    new Remote("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-labels-idx1-ubyte.gz",
                            "25c81989df183df01b3e8a0aad5dffbe"),
                    new Remote("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz",
                            "bef4ecab320f06d8554ea6380940ec79"),
                    new Remote("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz",
                            "bb300cfdad3c16e7a12a480ee83cd310"))),
    CIFAR10("cifar10", "cifar-10-batches-bin",
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
            List.of(new Remote("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
                    "c32a1d4ab5d03f1284b67883e8d87530")));

    /** One file to download: its address and the MD5 its authors publish. */
    public record Remote(String url, String md5) {
        public String fileName() {
            return url.substring(url.lastIndexOf('/') + 1);
        }
    }

    private final String id;
    private final String folder;
    private final List<String> classes;
    private final List<Remote> files;

    KnownDataset(String id, String folder, List<String> classes, List<Remote> files) {
        this.id = id;
        this.folder = folder;
        this.classes = classes;
        this.files = files;
    }

    public String id() {
        return id;
    }

    /** The folder {@code tuneup data fetch} creates in a data directory. */
    public String folder() {
        return folder;
    }

    public List<String> classes() {
        return classes;
    }

    public List<Remote> files() {
        return files;
    }

    /** The data set called {@code name} (case-insensitive, {@code _} and {@code -} alike), or null. */
    public static KnownDataset byName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
        for (KnownDataset d : values()) {
            if (d.id.equals(n) || d.id.replace("-", "").equals(n.replace("-", ""))) {
                return d;
            }
        }
        return null;
    }

    public static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(KnownDataset::id).toList());
    }
}
