package dev.tuneup.cli;

import static dev.tuneup.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.data.DataSources;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.Corruptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tuneup corrupt} through the real entry point; the written folders load back with tuneup's loaders. */
class CorruptCommandTest {
    @TempDir
    Path dir;

    /** train/test x two classes x three 10x10 images with gradients and an edge. */
    private Path folder() throws IOException {
        Path root = dir.resolve("shapes");
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 3; i++) {
                    Path f = root.resolve(split).resolve(c == 0 ? "ring" : "bar").resolve(i + ".png");
                    Files.createDirectories(f.getParent());
                    BufferedImage im = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 10; y++) {
                        for (int x = 0; x < 10; x++) {
                            int r = 40 + 15 * x + 10 * i;
                            int g = (c == 0 ? x > 4 : y > 4) ? 200 : 60;
                            int b = 30 + 20 * y;
                            im.setRGB(x, y, (r << 16) | (g << 8) | b);
                        }
                    }
                    ImageIO.write(im, "png", f.toFile());
                }
            }
        }
        return root;
    }

    @Test
    void writesImageFoldersThatLoadBackAsTheCorruptedTestSet() throws IOException {
        Path data = folder();
        Path out = dir.resolve("shapes-c");
        CliRun r = run("corrupt", "--data", data.toString(), "--corruptions", "fog,invert,gaussian_noise",
                "--severities", "1-2", "--to", out.toString(), "--seed", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 5 folder(s) of 6 images (10x10x3, imagefolder)"), r.out());
        ImageSet clean = DataSources.load(data.toString(), List.of(), LoadOptions.defaults()).split(Dataset.TEST);
        List<String> classes = Files.readAllLines(out.resolve("classes.txt"));
        assertEquals(clean.classes(), classes);
        for (String[] cs : new String[][] {{"fog", "1"}, {"fog", "2"}, {"gaussian_noise", "2"}, {"invert", "1"}}) {
            Corruption c = Corruption.byId(cs[0]);
            int s = Integer.parseInt(cs[1]);
            ImageSet expected = Corruptions.apply(clean, c, s, 3);
            ImageSet back = DataSources.load(out.resolve(cs[0]).resolve(cs[1]).toString(), List.of(),
                    LoadOptions.defaults().withClasses(classes)).split(Dataset.ALL);
            assertEquals(expected.size(), back.size());
            for (int k = 0; k < back.size(); k++) {
                int i = Integer.parseInt(Path.of(back.source(k)).getFileName().toString().replace(".png", ""));
                assertArrayEquals(expected.pixels(i), back.pixels(k), back.source(k));
                assertEquals(expected.label(i), back.label(k));
            }
        }
        assertFalse(Files.exists(out.resolve("invert/2")), "invert has one level");
        assertTrue(Files.readString(out.resolve("corruptions.json")).contains("\"seed\" : 3"));
        try (Stream<Path> s = Files.walk(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary files left");
        }
        CliRun again = run("corrupt", "--data", data.toString(), "--corruptions", "fog,invert,gaussian_noise",
                "--severities", "1-2", "--to", out.toString(), "--seed", "3");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("wrote 0 folder(s)") && again.out().contains("kept 5 finished folder(s)"), again.out());
    }

    @Test
    void writesIdxForGrayDataThatLoadsBack() throws IOException {
        Path data = folder();
        Path out = dir.resolve("idx");
        CliRun r = run("corrupt", "--data", data.toString(), "--channels", "1", "--corruptions", "motion_blur",
                "--severities", "5", "--format", "idx", "--to", out.toString());
        assertEquals(0, r.code(), r.err());
        ImageSet clean = DataSources.load(data.toString(), List.of(), LoadOptions.defaults().withChannels(1))
                .split(Dataset.TEST);
        ImageSet back = DataSources.load(out.resolve("motion_blur/5").toString(), List.of(), LoadOptions.defaults())
                .split(Dataset.TEST);
        ImageSet expected = Corruptions.apply(clean, Corruption.MOTION_BLUR, 5, 0);
        assertEquals(expected.labels().length, back.size());
        for (int i = 0; i < back.size(); i++) {
            assertArrayEquals(expected.pixels(i), back.pixels(i));
            assertEquals(expected.label(i), back.label(i));
        }
    }

    @Test
    void badOptionsAreUsageErrorsAndColourIdxFailsWithAFix() throws IOException {
        Path data = folder();
        CliRun typo = run("corrupt", "--data", data.toString(), "--corruptions", "fog,jpeg", "--to", dir.toString());
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("--corruptions: unknown corruption 'jpeg'; did you mean"), typo.err());
        CliRun sev = run("corrupt", "--data", data.toString(), "--severities", "0-3", "--to", dir.toString());
        assertEquals(2, sev.code());
        assertTrue(sev.err().contains("--severities: severity 0 is outside 1..5"), sev.err());
        CliRun idx = run("corrupt", "--data", data.toString(), "--format", "idx", "--to", dir.resolve("x").toString());
        assertEquals(1, idx.code());
        assertTrue(idx.err().contains("fix: use --format imagefolder"), idx.err());
        assertTrue(run("--help").out().contains("corrupt"));
        CliRun help = run("corrupt", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("elastic_transform"), help.out());
    }
}
