package dev.tuneup.serve;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.bundle.Profile;
import dev.tuneup.data.ImageFolderFormat;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** A small real bundle (random weights, with a validation profile) and a folder of real PNG and JPEG files. */
final class Fixture {
    static final List<String> CLASSES = List.of("cat", "dog", "frog");
    static final ModelSpec SPEC = new ModelSpec("cnn", 0, 1, List.of(8), 3, "max", List.of(16), Activations.Kind.RELU,
            Norms.Kind.BATCH, 0, 0, 3, 16, 16, 3);

    private Fixture() {
    }

    /** A bundle at {@code dir} whose weights come from {@code seed}. */
    static Path bundle(Path dir, long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block model = Networks.create(SPEC, m, seed);
            Normalization n = new Normalization(new float[] {0.5f, 0.45f, 0.4f}, new float[] {0.25f, 0.25f, 0.25f});
            ModelBundle.Info info = new ModelBundle.Info(Networks.Spec.of(SPEC), CLASSES, Preprocessing.of(16, 16, n),
                    Map.of("seed", seed));
            float[][] p = new Predictor(new ModelBundle.Loaded(null, model, info), m, 64).probabilities(random(60, seed));
            int[] labels = new int[p.length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % 3;
            }
            return ModelBundle.write(dir, model, info.withProfile(Profile.of(p, labels)));
        }
    }

    /**
     * A copy of the bundle {@code good} whose weights hold a NaN, with a manifest that matches them, as a
     * diverged run that slipped past the writer's check would leave it ({@link ModelBundle#write} refuses).
     */
    static Path nonFinite(Path dir, Path good, long seed) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block model = Networks.create(SPEC, m, seed);
            model.getParameters().get(0).getValue().getArray().set(new ai.djl.ndarray.index.NDIndex("0"), Float.NaN);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.saveParameters(new java.io.DataOutputStream(bytes));
            java.util.Set<String> names = new java.util.HashSet<>();
            dev.tuneup.track.AtomicFolder.manifest(good).path("files").fieldNames().forEachRemaining(names::add);
            Map<String, byte[]> files = new java.util.HashMap<>(dev.tuneup.track.AtomicFolder.read(good, names, 1 << 30));
            files.put(ModelBundle.WEIGHTS, bytes.toByteArray());
            return dev.tuneup.track.AtomicFolder.write(dir, files, Map.of("format", ModelBundle.FORMAT));
        }
    }

    private static ImageSet random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[][] px = new byte[n][16 * 16 * 3];
        for (byte[] im : px) {
            for (int j = 0; j < im.length; j++) {
                im[j] = (byte) r.nextInt(256);
            }
        }
        String[] src = new String[n];
        java.util.Arrays.fill(src, "random");
        return new ImageSet(16, 16, 3, CLASSES, px, new int[n], src);
    }

    /** {@code perClass} images per class under {@code root/class/}, PNG and JPEG, 20x28 (not the model's size). */
    static Path folder(Path root, int perClass) throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        for (int c = 0; c < CLASSES.size(); c++) {
            Path d = Files.createDirectories(root.resolve(CLASSES.get(c)));
            for (int i = 0; i < perClass; i++) {
                String format = i % 2 == 0 ? "png" : "jpg";
                Files.write(d.resolve(i + "." + format), encode(image(20, 28, c, r), format));
            }
        }
        return root;
    }

    static BufferedImage image(int h, int w, int c, SplittableRandom r) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = (x * 9 + c * 80 + r.nextInt(30)) & 255;
                int green = (y * 11 + r.nextInt(30)) & 255;
                int blue = ((x + y) * 5 + c * 40) & 255;
                im.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        return im;
    }

    static byte[] encode(BufferedImage im, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(im, format.equals("jpg") ? "jpeg" : format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }

    /** What tuneup eval computes: the folder loaded at the bundle's size, then the bundle's Predictor. */
    static float[][] evalProbabilities(Path bundle, Path folder) {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = ModelBundle.load(bundle, m);
            ImageSet set = ImageFolderFormat.read(folder, LoadOptions.defaults().withSize(16, 16)).split("all");
            return new Predictor(b, m, 256).probabilities(set);
        }
    }
}
