package dev.tuneup.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Decodes the image files of a folder, archive or manifest on worker threads while the caller keeps
 * reading, then assembles the {@link Dataset}: classes sorted by code point (or pinned), images in
 * (split, class, source) order whatever order they were read in, bad files failed or skipped per
 * the policy. Images are resized to the options' size; without one they must all be one size (a set
 * of mixed sizes is an error naming an example of each, never sized by whichever file came first).
 */
final class DecodePool implements AutoCloseable, ImageFolderFormat.FileSink {
    /** Code-point order, not UTF-16 order, so class ids match other tools that sort by code point. */
    static final Comparator<String> CODE_POINT = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };
    private static final List<String> SPLIT_ORDER = List.of(Dataset.TRAIN, Dataset.VAL, Dataset.TEST, Dataset.ALL);

    private record Item(String split, String className, String source, Future<Image> image) {
    }

    private final LoadOptions options;
    private final ExecutorService pool;
    private final Semaphore inFlight;
    private final List<Item> items = new ArrayList<>();
    private final List<SkippedFile> skipped = new ArrayList<>();

    DecodePool(LoadOptions options) {
        this.options = options;
        this.pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "tuneup-decode");
            t.setDaemon(true);
            return t;
        });
        this.inFlight = new Semaphore(options.threads() * 64);
    }

    /** Queues one file; blocks when many are waiting so memory stays bounded. */
    @Override
    public void submit(String split, String className, String source, Callable<byte[]> bytes) {
        inFlight.acquireUninterruptibly();
        Future<Image> f = pool.submit(() -> {
            try {
                return decode(bytes, source);
            } finally {
                inFlight.release();
                options.progress().run();
            }
        });
        items.add(new Item(split, className, source, f));
    }

    /** Reads and decodes one file; running out of memory on it is that file's error, not the end of the load. */
    private Image decode(Callable<byte[]> bytes, String source) throws Exception {
        try {
            return ImageDecoder.decode(bytes.call(), source, options, options.height(), options.width());
        } catch (OutOfMemoryError e) {
            throw new DataException(source, DataException.Problem.IMAGE_TOO_LARGE, "ran out of memory reading or"
                    + " decoding it (Java heap limit " + (Runtime.getRuntime().maxMemory() >> 20) + " MB)",
                    "shrink the image, lower --max-file-bytes or --max-pixels so such files are refused first,"
                            + " or give Java more memory (TUNEUP_JAVA_OPTS=-Xmx16g)");
        }
    }

    /** Records a file that is not an image at all (wrong extension inside a class folder). */
    @Override
    public void reject(DataException e) {
        items.add(new Item(null, null, e.source(), java.util.concurrent.CompletableFuture.failedFuture(e)));
    }

    /** Waits for every decode and builds the data set. */
    Dataset finish(String name, String root) {
        List<DataException> errors = new ArrayList<>();
        List<Item> good = new ArrayList<>();
        Map<Item, Image> images = new java.util.IdentityHashMap<>();
        for (Item item : items) {
            try {
                images.put(item, item.image.get());
                good.add(item);
            } catch (ExecutionException e) {
                errors.add(asDataException(item.source, e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataException(root, DataException.Problem.IO, "interrupted while decoding", "run again");
            }
        }
        if (!errors.isEmpty() && options.badFiles() == BadFilePolicy.FAIL) {
            throw new BadFilesException(root, errors);
        }
        errors.forEach(e -> skipped.add(SkippedFile.of(e)));
        if (good.isEmpty()) {
            throw new DataException(root, DataException.Problem.EMPTY, "holds no usable images"
                    + (skipped.isEmpty() ? "" : " (" + skipped.size() + " skipped)"),
                    "expected root/<class>/*.png|jpg|jpeg|bmp, optionally under train/, val/ and test/");
        }
        Image first = images.get(good.get(0));
        requireOneSize(good, images, root);
        Map<String, String> sources = new LinkedHashMap<>();
        good.forEach(it -> sources.putIfAbsent(it.className, it.source));
        ClassNames.check(sources);
        List<String> classes = classList(good, root);
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            ids.put(classes.get(i), i);
        }
        good.sort(Comparator.comparingInt((Item it) -> SPLIT_ORDER.indexOf(it.split))
                .thenComparing(it -> ids.get(it.className)).thenComparing(it -> it.source, CODE_POINT));
        Map<String, ImageSet> splits = new LinkedHashMap<>();
        int start = 0;
        for (int i = 1; i <= good.size(); i++) {
            if (i == good.size() || !good.get(i).split.equals(good.get(start).split)) {
                List<Item> part = good.subList(start, i);
                byte[][] px = new byte[part.size()][];
                int[] lb = new int[part.size()];
                String[] src = new String[part.size()];
                for (int k = 0; k < part.size(); k++) {
                    px[k] = images.get(part.get(k)).pixels();
                    lb[k] = ids.get(part.get(k).className);
                    src[k] = part.get(k).source;
                }
                splits.put(part.get(0).split, new ImageSet(first.height(), first.width(), options.channels(), classes, px, lb, src));
                start = i;
            }
        }
        return new Dataset(name, splits, skipped);
    }

    private static void requireOneSize(List<Item> good, Map<Item, Image> images, String root) {
        Map<String, List<Item>> bySize = new LinkedHashMap<>();
        for (Item it : good) {
            Image im = images.get(it);
            bySize.computeIfAbsent(im.height() + "x" + im.width(), k -> new ArrayList<>()).add(it);
        }
        if (bySize.size() > 1) {
            StringBuilder sizes = new StringBuilder();
            bySize.entrySet().stream().sorted((a, b) -> b.getValue().size() - a.getValue().size()).forEach(e -> sizes
                    .append(sizes.length() == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue().size())
                    .append(e.getValue().size() == 1 ? " file" : " files").append(", e.g. ")
                    .append(e.getValue().get(0).source).append(')'));
            throw new DataException(root, DataException.Problem.SIZE_MISMATCH, "images differ in size (height x width): "
                    + sizes, "resize them all to one size when loading (--size HxW, antialiased bilinear), or remove"
                    + " the files of the odd size");
        }
    }

    private List<String> classList(List<Item> good, String root) {
        if (options.classes() == null) {
            TreeSet<String> names = new TreeSet<>(CODE_POINT);
            good.forEach(it -> names.add(it.className));
            return List.copyOf(names);
        }
        for (Item it : good) {
            if (!options.classes().contains(it.className)) {
                throw new DataException(it.source, DataException.Problem.UNKNOWN_CLASS, "class '" + it.className
                        + "' is not in the pinned class list " + options.classes(),
                        "add it to the class list, or remove the folder from " + root);
            }
        }
        Set<String> present = new HashSet<>();
        good.forEach(it -> present.add(it.className));
        for (String c : options.classes()) {
            if (!present.contains(c)) {
                throw new DataException(root, DataException.Problem.NOT_FOUND, "class '" + c + "' of the pinned class"
                        + " list " + options.classes() + " has no image" + (skipped.isEmpty() ? "" : " (after "
                        + skipped.size() + " skipped file(s))"), "add its images (a folder or manifest rows named '" + c
                        + "'), or leave it out of the class list");
            }
        }
        return options.classes();
    }

    private static DataException asDataException(String source, Throwable t) {
        if (t instanceof DataException d) {
            return d;
        }
        return new DataException(source, DataException.Problem.IO, "cannot read: " + t,
                "check that the file is readable", t);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
