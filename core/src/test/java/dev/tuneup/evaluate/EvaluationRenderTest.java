package dev.tuneup.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.TuneupException;
import dev.tuneup.report.ConfusionPlot;
import dev.tuneup.report.ReliabilityPlot;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderers: terminal table, JSON round trip, confusion and reliability PNGs. */
class EvaluationRenderTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void tableShowsHeadlineClassesAndAlignedConfusion() {
        Evaluation e = SklearnOracleTest.golden().evaluate(200, 1);
        String text = EvaluationText.table(e);
        assertTrue(text.startsWith("200 examples, 4 classes\n"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("  accuracy +" + EvaluationText.num(e.accuracy())
                .replace(".", "\\.") + "   95% CI \\[" + EvaluationText.num(e.bootstrap().accuracy().low()).replace(".", "\\.")
                + ", .*")), text);
        assertTrue(text.contains("top-3 accuracy") && text.contains("ECE (15 bins)") && text.contains("Brier"), text);
        assertTrue(text.contains("percentile bootstrap: 200 resamples, seed 1"), text);
        for (String c : e.classes()) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith(c + " ")), "a row for " + c);
        }
        assertTrue(text.contains("macro avg") && text.contains("weighted avg"), text);
        // The confusion block: a header and one row per class, all the same width, counts right-aligned.
        List<String> lines = text.lines().toList();
        int at = lines.indexOf("confusion matrix (rows: true class, columns: predicted class)");
        assertTrue(at > 0, text);
        List<String> block = lines.subList(at + 1, at + 2 + e.numClasses());
        assertTrue(block.get(0).startsWith("true \\ predicted") && block.get(0).endsWith("airplane"), block.get(0));
        block.forEach(l -> assertEquals(block.get(0).length(), l.length(), "aligned: '" + l + "'"));
        String catRow = block.get(1);
        assertTrue(catRow.startsWith("cat ") && catRow.trim().endsWith(" " + e.confusion().count(0, 3)), catRow);

        String plain = EvaluationText.table(EvaluationTest.handExample(0));
        assertTrue(plain.contains("(no bootstrap intervals)") && !plain.contains("CI"), plain);
    }

    @Test
    void manyClassesLeaveOutTheTextConfusionMatrix() {
        String text = EvaluationText.table(random(40, 300));
        assertTrue(text.contains("confusion matrix left out (40 classes)"), text);
    }

    @Test
    void jsonRoundTripsWithStableKeys() throws IOException {
        Evaluation e = EvaluationTest.handExample(50); // has an empty bin (NaN) and intervals
        Path file = dir.resolve("eval").resolve("test.json");
        EvaluationJson.write(file, e);
        assertEquals(e, EvaluationJson.read(file));
        assertEquals(List.of("test.json"), list(file.getParent()), "no temporary file left");

        JsonNode tree = new ObjectMapper().readTree(file.toFile());
        List<String> keys = new ArrayList<>();
        tree.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("classes", "n", "accuracy", "top_k", "top_k_accuracy", "nll", "brier", "per_class",
                "macro", "weighted", "confusion", "calibration", "bootstrap"), keys);
        assertEquals(2, tree.at("/confusion/counts/0/0").asInt());
        assertEquals("NaN", tree.at("/calibration/bins/0/accuracy").asText());
        assertTrue(tree.at("/bootstrap/macro_f1/low").isNumber());
        assertEquals(List.of("name", "precision", "recall", "f1", "support"), fields(tree.at("/per_class/0")));
        assertEquals(List.of("lower", "upper", "count", "confidence", "accuracy"), fields(tree.at("/calibration/bins/1")));

        Evaluation none = EvaluationTest.handExample(0);
        assertEquals(none, EvaluationJson.fromJson(EvaluationJson.toJson(none)));
        Evaluation big = SklearnOracleTest.golden().evaluate(100, 3);
        assertEquals(big, EvaluationJson.fromJson(EvaluationJson.toJson(big)), "doubles survive exactly");
    }

    @Test
    void badJsonIsAClearError() throws IOException {
        String json = EvaluationJson.toJson(EvaluationTest.handExample(0));
        TuneupException unknown = assertThrows(TuneupException.class,
                () -> EvaluationJson.fromJson(json.replaceFirst("\\{", "{\"brier_score\": 0.5,")));
        assertTrue(unknown.getMessage().contains("brier_score"), unknown.getMessage());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"n\": 3}");
        TuneupException partial = assertThrows(TuneupException.class, () -> EvaluationJson.read(bad));
        assertTrue(partial.getMessage().startsWith(bad + " is not an evaluation document"), partial.getMessage());
        TuneupException missing = assertThrows(TuneupException.class, () -> EvaluationJson.read(dir.resolve("no.json")));
        assertTrue(missing.getMessage().contains("no evaluation file"), missing.getMessage());
    }

    @Test
    void confusionPlotsAreRealImages() throws IOException {
        Evaluation e = SklearnOracleTest.golden().evaluate(0, 0);
        Path counts = dir.resolve("a").resolve("confusion.png");
        ConfusionPlot.write(counts, e, false);
        BufferedImage im = readImage(counts);
        assertTrue(countNear(im, 0x08306B, 60) > 100, "dark cells for the large diagonal shares");
        Path shares = dir.resolve("b").resolve("confusion.png");
        ConfusionPlot.write(shares, e, true);
        readImage(shares);

        // Many classes with long names: names turn vertical, cells drop their numbers, still a picture.
        Path many = dir.resolve("c").resolve("confusion.png");
        ConfusionPlot.write(many, random(60, 2000), true);
        BufferedImage big = readImage(many);
        assertTrue(big.getWidth() < 1400 && big.getHeight() < 1400, big.getWidth() + "x" + big.getHeight());
    }

    @Test
    void reliabilityPlotIsARealImage() throws IOException {
        Evaluation e = SklearnOracleTest.golden().evaluate(200, 5);
        Path png = dir.resolve("r").resolve("reliability.png");
        Files.createDirectories(png.getParent());
        Files.writeString(png, "old"); // overwritten
        ReliabilityPlot.write(png, e);
        BufferedImage im = readImage(png);
        assertEquals(ReliabilityPlot.HEIGHT, im.getHeight());
        assertTrue(countNear(im, 0x1F77B4, 10) > 2000, "accuracy bars");
        assertTrue(e.calibration().ece() > 0.1);
        Path plain = dir.resolve("p").resolve("plain.png");
        ReliabilityPlot.write(plain, EvaluationTest.handExample(0)); // no CI, empty bins
        readImage(plain);
    }

    /** Random, roughly calibrated-looking predictions over {@code k} classes with long names. */
    static Evaluation random(int k, int n) {
        Random r = new Random(11);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add("class_with_a_long_name_" + c);
        }
        float[][] p = new float[n][k];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k);
            double sum = 0;
            double[] z = new double[k];
            for (int c = 0; c < k; c++) {
                z[c] = Math.exp(r.nextGaussian() + (c == y[i] ? 2.5 : 0));
                sum += z[c];
            }
            for (int c = 0; c < k; c++) {
                p[i][c] = (float) (z[c] / sum);
            }
        }
        return Evaluation.of(p, y, names, 15, 0, 0);
    }

    private static BufferedImage readImage(Path png) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " exists");
        BufferedImage im = ImageIO.read(png.toFile());
        int background = im.getRGB(1, 1);
        long other = 0;
        for (int y = 0; y < im.getHeight(); y++) {
            for (int x = 0; x < im.getWidth(); x++) {
                other += im.getRGB(x, y) != background ? 1 : 0;
            }
        }
        assertTrue(other > 5000, other + " non-background pixels in " + png);
        assertEquals(List.of(png.getFileName().toString()), list(png.getParent()), "no temporary file left");
        return im;
    }

    private static long countNear(BufferedImage im, int rgb, int tolerance) {
        long n = 0;
        for (int y = 0; y < im.getHeight(); y++) {
            for (int x = 0; x < im.getWidth(); x++) {
                int p = im.getRGB(x, y);
                if (Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) <= tolerance
                        && Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255)) <= tolerance
                        && Math.abs((p & 255) - (rgb & 255)) <= tolerance) {
                    n++;
                }
            }
        }
        return n;
    }

    private static List<String> fields(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<String> list(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
