package dev.tuneup.bundle;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageDecoder;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.loader.Batch;
import dev.tuneup.loader.BatchLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Class probabilities from a {@link ModelBundle}, preprocessed only as the bundle says: images are
 * decoded and resized to the bundle's size and channels, normalised by the same loader code that
 * evaluation uses, and run in inference mode; logits are divided by the bundle's temperature
 * before the softmax.
 */
public final class Predictor {
    private final ModelBundle.Loaded bundle;
    private final NDManager manager;
    private final int batchSize;

    /** One image's answer: the top classes, best first. */
    public record Prediction(List<String> classes, float[] probabilities, int[] ids) {
    }

    public Predictor(ModelBundle.Loaded bundle, NDManager manager, int batchSize) {
        this.bundle = bundle;
        this.manager = manager;
        this.batchSize = batchSize;
    }

    public ModelBundle.Info info() {
        return bundle.info();
    }

    /** Probabilities for every image of {@code images} ({@code [n][classes]}), in order, at the bundle's temperature. */
    public float[][] probabilities(ImageSet images) {
        float[][] z = logits(images);
        double t = bundle.info().preprocessing().temperature();
        for (float[] row : z) {
            softmaxInPlace(row, t);
        }
        return z;
    }

    /**
     * The raw logits for every image of {@code images} ({@code [n][classes]}), in order. Images of
     * another size are brought to the bundle's by its rule, batch by batch ({@link Preprocessing#fit}).
     */
    public float[][] logits(ImageSet images) {
        Preprocessing p = bundle.info().preprocessing();
        if (images.channels() != p.channels()) {
            throw new IllegalArgumentException("images have " + images.channels() + " channels, the model takes "
                    + p.channels() + "; load them with that channel count");
        }
        int k = bundle.info().classes().size();
        float[][] out = new float[images.size()][];
        int row = 0;
        // libtorch's autograd switch is per thread and DJL turns it off only on the thread that loaded the
        // engine: on a server's or an executor's thread every forward would record a graph
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (BatchLoader loader = evalLoader(images, p, batchSize, 0)) {
            Iterator<Batch> it = loader.epoch(0, manager);
            while (it.hasNext()) {
                try (Batch b = it.next(); NDManager scope = b.manager().newSubManager()) {
                    float[] z = bundle.model().forward(new ParameterStore(scope, false), new NDList(b.data()), false)
                            .singletonOrThrow().toFloatArray();
                    for (int i = 0; i < b.size(); i++) {
                        out[row++] = Arrays.copyOfRange(z, i * k, (i + 1) * k);
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return out;
    }

    /**
     * A loader giving {@code images} to a model exactly as {@code p} says: in order, fitted to its size
     * by its rule when they are not that size already, normalised. Validation and test inside training
     * use this too, so they see what {@code eval} and the server see.
     */
    public static BatchLoader evalLoader(ImageSet images, Preprocessing p, int batchSize, int workers) {
        BatchLoader.Builder b = BatchLoader.builder(images).batchSize(batchSize).shuffle(false).workers(workers)
                .normalization(p.normalization()).channelsLast(true);
        if (p.fit().changes(images.height(), images.width())) {
            b.transform((im, rng) -> p.fit(im)).outputSize(p.height(), p.width());
        }
        return b.build();
    }

    /** softmax(row / t) in place, in double precision: the one softmax of predictions and evaluation. */
    public static void softmaxInPlace(float[] row, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : row) {
            max = Math.max(max, z / t);
        }
        double[] e = new double[row.length];
        double s = 0;
        for (int j = 0; j < row.length; j++) {
            e[j] = Math.exp(row[j] / t - max);
            s += e[j];
        }
        for (int j = 0; j < row.length; j++) {
            row[j] = (float) (e[j] / s);
        }
    }

    /** The {@code top} best classes of one encoded image (PNG, JPEG, BMP, GIF). */
    public Prediction predict(byte[] encoded, String source, int top) {
        Preprocessing p = bundle.info().preprocessing();
        Image im = ImageDecoder.decode(encoded, source, p.load(LoadOptions.defaults()), p.height(), p.width());
        ImageSet one = new ImageSet(p.height(), p.width(), p.channels(), bundle.info().classes(),
                new byte[][] {im.pixels()}, new int[] {0}, new String[] {source});
        return top(probabilities(one)[0], top);
    }

    /** The {@code top} largest probabilities with their class names. */
    public Prediction top(float[] probs, int top) {
        return top(probs, bundle.info().classes(), top);
    }

    /** The {@code top} largest of {@code probs}, best first, named from {@code classes}. */
    public static Prediction top(float[] probs, List<String> classes, int top) {
        Integer[] order = new Integer[probs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(probs[b], probs[a]));
        int n = Math.min(top, probs.length);
        List<String> names = new ArrayList<>();
        float[] p = new float[n];
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = order[i];
            p[i] = probs[order[i]];
            names.add(classes.get(order[i]));
        }
        return new Prediction(names, p, ids);
    }
}
