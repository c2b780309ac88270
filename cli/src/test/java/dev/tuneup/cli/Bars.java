package dev.tuneup.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** A tiny real ImageFolder for command tests: four classes of 8x8 gray PNGs, a bright bar in one of four row bands. */
final class Bars {
    private Bars() {
    }

    /** One image of class {@code c}. */
    static BufferedImage image(int c, SplittableRandom rng) {
        BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                im.getRaster().setSample(x, y, 0, (y / 2 == c ? 170 : 40) + rng.nextInt(50));
            }
        }
        return im;
    }

    /** {@code root/train/band<c>/} (30 per class) and {@code root/test/band<c>/} (8 per class). */
    static Path write(Path root) throws IOException {
        SplittableRandom rng = new SplittableRandom(4);
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 4; c++) {
                Path folder = Files.createDirectories(root.resolve(split).resolve("band" + c));
                for (int i = 0; i < (split.equals("train") ? 30 : 8); i++) {
                    ImageIO.write(image(c, rng), "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        return root;
    }

    /** The --set options of a small, fast model on {@code data}, with run folders under {@code runs}. */
    static List<String> settings(Path data, Path runs) {
        return new ArrayList<>(List.of("--set", "data.name=" + data, "--set", "data.channels=1", "--set",
                "model.conv_widths=[8]", "--set", "model.dense_widths=[16]", "--set", "training.batch_size=16", "--set",
                "training.workers=1", "--set", "output.dir=" + runs));
    }

    /** The newest run folder under {@code runs} whose name ends with {@code suffix}. */
    static Path newest(Path runs, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }
}
