package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.config.ConfigLoader;
import dev.tuneup.data.LoadOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** data.train_on_val (a final refit) and data.use_test (tuning trials never load the test split). */
class SessionsImagesTest {
    @TempDir
    Path dir;

    private Path folder() throws IOException {
        for (String split : List.of("train", "test")) {
            for (int c = 0; c < 3; c++) {
                Path f = dir.resolve("d").resolve(split).resolve("c" + c);
                Files.createDirectories(f);
                for (int i = 0; i < (split.equals("train") ? 10 : 4); i++) {
                    BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                    im.getRaster().setSample(i % 8, c, 0, 200);
                    ImageIO.write(im, "png", f.resolve(i + ".png").toFile());
                }
            }
        }
        return dir.resolve("d");
    }

    private Sessions.Images images(Path data, String... sets) {
        List<String> all = new ArrayList<>(List.of("data.name=" + data, "data.channels=1", "data.val_fraction=0.2"));
        all.addAll(List.of(sets));
        return Sessions.images(ConfigLoader.load(null, all).resolve(), LoadOptions.defaults(), Reporter.silent());
    }

    @Test
    void trainOnValAddsTheValidationImagesAndUseTestFalseLeavesTestUnread() throws IOException {
        Path data = folder();
        Sessions.Images plain = images(data);
        assertEquals(24, plain.train().size());
        assertEquals(6, plain.val().size());
        assertEquals(12, plain.test().size());

        List<String> said = new ArrayList<>();
        Sessions.Images refit = Sessions.images(ConfigLoader.load(null, List.of("data.name=" + data, "data.channels=1",
                "data.val_fraction=0.2", "data.train_on_val=true")).resolve(), LoadOptions.defaults(), Reporter.lines(said::add));
        assertEquals(30, refit.train().size(), "train + val");
        assertEquals(6, refit.val().size());
        assertTrue(said.stream().anyMatch(l -> l.contains("not held out")), said.toString());

        assertNull(images(data, "data.use_test=false").test());
    }
}
