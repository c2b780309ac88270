package dev.tuneup.workflow;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** A tiny real ImageFolder for workflow tests. */
final class Stripes {
    private Stripes() {
    }

    /**
     * 3 classes of 16x16 RGB PNGs under {@code dir}/stripes: a bright stripe at a class-specific height
     * with noise drawn from {@code seed}; 20 train and 6 test images per class.
     */
    static Path write(Path dir, long seed) throws IOException {
        Path root = dir.resolve("stripes");
        SplittableRandom rng = new SplittableRandom(seed);
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 3; c++) {
                Path folder = Files.createDirectories(root.resolve(split).resolve("class" + c));
                for (int i = 0; i < (split.equals("train") ? 20 : 6); i++) {
                    BufferedImage im = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 16; y++) {
                        for (int x = 0; x < 16; x++) {
                            int v = rng.nextInt(60);
                            int rgb = (v << 16) | (v << 8) | v;
                            im.setRGB(x, y, y / 6 == c ? rgb | 0xC0 << (8 * (2 - c)) : rgb);
                        }
                    }
                    ImageIO.write(im, "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        return root;
    }
}
