package dev.tuneup.spark;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** A tiny real ImageFolder and a tiny real bundle for the Spark tests. */
final class Fixture {
    static final List<String> CLASSES = List.of("class0", "class1", "class2");

    private Fixture() {
    }

    /** {@code dir}/folds/{train,test}/class0..2: 24 train and 4 test 16x16 PNGs per class, as {@link #images}. */
    static Path trainAndTest(Path dir) throws IOException {
        Path root = dir.resolve("folds");
        SplittableRandom rng = new SplittableRandom(13);
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 3; c++) {
                Path folder = Files.createDirectories(root.resolve(split).resolve(CLASSES.get(c)));
                for (int i = 0; i < (split.equals("train") ? 24 : 4); i++) {
                    ImageIO.write(stripe(c, rng), "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        return root;
    }

    private static BufferedImage stripe(int c, SplittableRandom rng) {
        BufferedImage im = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int v = rng.nextInt(60);
                int rgb = (v << 16) | (v << 8) | v;
                im.setRGB(x, y, y / 6 == c ? rgb | 0xC0 << (8 * (2 - c)) : rgb);
            }
        }
        return im;
    }

    /**
     * {@code dir}/stripes/test: 16x16 RGB images, {@code perClass} per class, a bright stripe at a
     * class-specific height over noise, PNG and JPEG alternating, plus 3 images of a class the model
     * does not know ("zebra", left out by eval).
     */
    static Path images(Path dir, int perClass) throws IOException {
        Path root = dir.resolve("stripes");
        SplittableRandom rng = new SplittableRandom(11);
        for (int c = 0; c < 4; c++) {
            String name = c < 3 ? CLASSES.get(c) : "zebra";
            Path folder = Files.createDirectories(root.resolve("test").resolve(name));
            for (int i = 0; i < (c < 3 ? perClass : 3); i++) {
                BufferedImage im = stripe(c % 3, rng);
                String type = i % 2 == 0 ? "png" : "jpg";
                ImageIO.write(im, type, folder.resolve(i + "." + type).toFile());
            }
        }
        return root;
    }

    /** A random-weight CNN bundle at 12x12 (so every image is resized by the bundle's rule), temperature 1.3. */
    static Path bundle(Path dir) {
        ModelSpec spec = new ModelSpec("cnn", 0, 1, List.of(4), 3, "max", List.of(8), Activations.Kind.RELU,
                Norms.Kind.BATCH, 0, 0, 3, 12, 12, 3);
        Normalization n = new Normalization(new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.2f, 0.25f, 0.3f});
        ModelBundle.Info info = new ModelBundle.Info(Networks.Spec.of(spec), CLASSES,
                Preprocessing.of(12, 12, n).withTemperature(1.3), Map.of("seed", 5));
        try (NDManager m = NDManager.newBaseManager()) {
            return ModelBundle.write(dir.resolve("bundle"), Networks.create(spec, m, 5), info);
        }
    }
}
