package dev.tuneup.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A labelled set of same-sized images held compactly in memory: one {@code byte[]} of HWC uint8
 * pixels per image, an {@code int} label per image and the class names. Immutable; subsets share
 * the pixel arrays. {@code sources} names where each image came from (file, archive entry or
 * {@code file#record}), for error analysis and bad-file reports. A set may also carry soft targets
 * (a probability per class for each image, {@link #withTargets}) that training uses instead of the
 * labels, e.g. for label repair.
 */
public final class ImageSet {
    private final int height;
    private final int width;
    private final int channels;
    private final List<String> classes;
    private final byte[][] images;
    private final int[] labels;
    private final String[] sources;
    private final float[][] targets; // null: the labels alone

    public ImageSet(int height, int width, int channels, List<String> classes,
                    byte[][] images, int[] labels, String[] sources) {
        if (images.length != labels.length || images.length != sources.length) {
            throw new IllegalArgumentException("images, labels and sources differ in length: "
                    + images.length + ", " + labels.length + ", " + sources.length);
        }
        int bytes = height * width * channels;
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != bytes) {
                throw new IllegalArgumentException(sources[i] + " has " + images[i].length
                        + " bytes, expected " + bytes);
            }
            if (labels[i] < 0 || labels[i] >= classes.size()) {
                throw new IllegalArgumentException(sources[i] + " has label " + labels[i]
                        + " outside 0.." + (classes.size() - 1));
            }
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.classes = List.copyOf(classes);
        this.images = images;
        this.labels = labels;
        this.sources = sources;
        this.targets = null;
    }

    private ImageSet(ImageSet s, float[][] targets) {
        this.height = s.height;
        this.width = s.width;
        this.channels = s.channels;
        this.classes = s.classes;
        this.images = s.images;
        this.labels = s.labels;
        this.sources = s.sources;
        this.targets = targets;
    }

    /**
     * The same set, training on {@code t[i]} (a probability for each class, summing to 1) instead of image
     * i's label; a null row keeps the label. The labels stay what they are for counting and reporting.
     */
    public ImageSet withTargets(float[][] t) {
        if (t.length != size()) {
            throw new IllegalArgumentException(t.length + " soft targets for " + size() + " images");
        }
        float[][] rows = new float[t.length][];
        for (int i = 0; i < t.length; i++) {
            if (t[i] == null) {
                continue;
            }
            double sum = 0;
            for (float v : t[i]) {
                if (!(v >= 0)) {
                    throw new IllegalArgumentException(sources[i] + ": soft target " + v + " is not a probability");
                }
                sum += v;
            }
            if (t[i].length != classes.size() || Math.abs(sum - 1) > 1e-3) {
                throw new IllegalArgumentException(sources[i] + ": soft targets need " + classes.size()
                        + " probabilities summing to 1, got " + t[i].length + " summing to " + sum);
            }
            rows[i] = t[i].clone();
        }
        return new ImageSet(this, rows);
    }

    /** Whether training uses soft targets ({@link #withTargets}) rather than the labels alone. */
    public boolean hasTargets() {
        return targets != null;
    }

    /** Image i's training target: its soft target, or one-hot of its label. A new array. */
    public float[] target(int i) {
        float[] t = new float[classes.size()];
        writeTarget(i, t, 0);
        return t;
    }

    /** Writes {@link #target(int)} into {@code out} from {@code offset} (all {@code numClasses()} entries). */
    public void writeTarget(int i, float[] out, int offset) {
        if (targets != null && targets[i] != null) {
            System.arraycopy(targets[i], 0, out, offset, targets[i].length);
            return;
        }
        java.util.Arrays.fill(out, offset, offset + classes.size(), 0f);
        out[offset + labels[i]] = 1;
    }

    public int size() {
        return labels.length;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    public int imageBytes() {
        return height * width * channels;
    }

    public List<String> classes() {
        return classes;
    }

    public int numClasses() {
        return classes.size();
    }

    /** The raw HWC pixels of image {@code i}; do not modify. */
    public byte[] pixels(int i) {
        return images[i];
    }

    public Image image(int i) {
        return new Image(height, width, channels, images[i]);
    }

    public int label(int i) {
        return labels[i];
    }

    public String source(int i) {
        return sources[i];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** Number of images per class id. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** {@code a} then {@code b}; they must have the same size, channels and classes. */
    public static ImageSet concat(ImageSet a, ImageSet b) {
        if (a.height != b.height || a.width != b.width || a.channels != b.channels || !a.classes.equals(b.classes)) {
            throw new IllegalArgumentException("cannot join image sets of different sizes, channels or classes");
        }
        int n = a.size() + b.size();
        byte[][] px = new byte[n][];
        int[] lab = new int[n];
        String[] src = new String[n];
        float[][] soft = a.targets == null && b.targets == null ? null : new float[n][];
        for (int i = 0; i < n; i++) {
            ImageSet s = i < a.size() ? a : b;
            int j = i < a.size() ? i : i - a.size();
            px[i] = s.images[j];
            lab[i] = s.labels[j];
            src[i] = s.sources[j];
            if (soft != null && s.targets != null) {
                soft[i] = s.targets[j];
            }
        }
        ImageSet out = new ImageSet(a.height, a.width, a.channels, a.classes, px, lab, src);
        return soft == null ? out : new ImageSet(out, soft);
    }

    /** The images at {@code indices}, in that order (pixels shared, not copied), with their soft targets. */
    public ImageSet subset(int[] indices) {
        byte[][] im = new byte[indices.length][];
        int[] lb = new int[indices.length];
        String[] src = new String[indices.length];
        float[][] soft = targets == null ? null : new float[indices.length][];
        for (int k = 0; k < indices.length; k++) {
            im[k] = images[indices[k]];
            lb[k] = labels[indices[k]];
            src[k] = sources[indices[k]];
            if (soft != null) {
                soft[k] = targets[indices[k]];
            }
        }
        ImageSet out = new ImageSet(height, width, channels, classes, im, lb, src);
        return soft == null ? out : new ImageSet(out, soft);
    }

    /** The same images with other labels and class names (e.g. after relabelling or noise), no soft targets. */
    public ImageSet withLabels(int[] newLabels, List<String> newClasses) {
        return new ImageSet(height, width, channels, newClasses, images, newLabels.clone(), sources);
    }

    /**
     * SHA-256 over shape, class names, and every image's label, pixels and soft target in order: two loads
     * give the same hash exactly when they hold the same data in the same order.
     */
    public String contentHash() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update((height + "x" + width + "x" + channels + "\n" + String.join("\n", classes))
                .getBytes(StandardCharsets.UTF_8));
        byte[] label = new byte[4];
        for (int i = 0; i < images.length; i++) {
            int v = labels[i];
            label[0] = (byte) (v >>> 24);
            label[1] = (byte) (v >>> 16);
            label[2] = (byte) (v >>> 8);
            label[3] = (byte) v;
            md.update(label);
            md.update(images[i]);
            if (targets != null && targets[i] != null) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * targets[i].length);
                for (float t : targets[i]) {
                    b.putFloat(t);
                }
                md.update(b.array());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public String toString() {
        return size() + " images " + height + "x" + width + "x" + channels + ", " + classes.size() + " classes";
    }
}
