package dev.tuneup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** Reads the PNG back and checks its size, and that lines/text were drawn (not one flat colour). */
    private static BufferedImage readChart(Path png, int width, int height) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " exists");
        BufferedImage im = ImageIO.read(png.toFile());
        assertEquals(width, im.getWidth());
        assertEquals(height, im.getHeight());
        int background = im.getRGB(2, 2);
        long other = 0;
        for (int y = 0; y < im.getHeight(); y++) {
            for (int x = 0; x < im.getWidth(); x++) {
                other += im.getRGB(x, y) != background ? 1 : 0;
            }
        }
        assertTrue(other > 2000, other + " non-background pixels");
        try (var files = Files.list(png.getParent())) {
            assertEquals(List.of(png.getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
        return im;
    }

    /** Counts pixels close to {@code rgb} (a series' or marker's colour). */
    private static long count(BufferedImage im, int rgb) {
        long n = 0;
        for (int y = 0; y < im.getHeight(); y++) {
            for (int x = 0; x < im.getWidth(); x++) {
                n += im.getRGB(x, y) == (0xFF000000 | rgb) ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void logLineChartWithMarkersIsARealImage() throws IOException {
        int n = 60;
        double[] lrs = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            lrs[i] = 1e-7 * Math.pow(1e8, i / (n - 1.0));
            double t = Math.log10(lrs[i]);
            loss[i] = 2.3 - 1.5 / (1 + Math.exp(-(t + 4))) + (t > -1 ? 3 * (t + 1) : 0);
        }
        loss[n - 1] = Double.POSITIVE_INFINITY; // skipped, not an error
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("smoothed loss", new double[][] {lrs, loss});
        Path png = dir.resolve("out").resolve("lr.png");
        Charts.lineChart(png, "LR finder", "learning rate", "loss", true, series,
                List.of(new Charts.Marker(1e-4, "valley 1e-4"), new Charts.Marker(1e-3, "steep")));
        BufferedImage im = readChart(png, Charts.WIDTH, Charts.HEIGHT);
        assertTrue(count(im, 0xD62728) > 50, "first marker's colour is drawn");
        assertTrue(count(im, 0x1F77B4) > 50, "the line's colour is drawn");
    }

    @Test
    void overwritesAnExistingFile() throws IOException {
        Path png = dir.resolve("c.png");
        Files.writeString(png, "old");
        Charts.lineChart(png, "t", "x", "y", false, Map.of("a", new double[][] {{1, 2, 3}, {3, 1, 2}}), List.of());
        readChart(png, Charts.WIDTH, Charts.HEIGHT);
    }

    @Test
    void trainingCurvesStackLossAndAccuracy() throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int e = 0; e < 6; e++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("epoch", e);
            r.put("train_loss", 1.5 / (e + 1));
            r.put("train_acc", 0.5 + 0.07 * e);
            r.put("val_loss", 1.6 / (e + 1) + 0.05);
            r.put("val_acc", 0.45 + 0.06 * e);
            r.put("skipped_steps", 0L);
            rows.add(r);
        }
        Path png = dir.resolve("curves.png");
        Charts.trainingCurves(png, rows);
        readChart(png, Charts.WIDTH, Charts.CURVES_HEIGHT);

        // No validation set: the val lines are NaN and left out, the chart is still drawn.
        rows.forEach(r -> {
            r.put("val_loss", Double.NaN);
            r.put("val_acc", Double.NaN);
        });
        Path noVal = dir.resolve("b").resolve("curves.png");
        Charts.trainingCurves(noVal, rows);
        readChart(noVal, Charts.WIDTH, Charts.CURVES_HEIGHT);
    }

    @Test
    void badInputIsAClearErrorAndWritesNothing() {
        Path png = dir.resolve("bad.png");
        double nan = Double.NaN;
        TuneupException allNaN = assertThrows(TuneupException.class, () -> Charts.lineChart(png, "t", "x", "y", false,
                Map.of("loss", new double[][] {{1, 2, 3}, {nan, nan, nan}}), List.of()));
        assertTrue(allNaN.getMessage().contains("'loss'") && allNaN.getMessage().contains("no finite point"),
                allNaN.getMessage());
        TuneupException ragged = assertThrows(TuneupException.class, () -> Charts.lineChart(png, "t", "x", "y", false,
                Map.of("loss", new double[][] {{1, 2, 3}, {1, 2}}), List.of()));
        assertTrue(ragged.getMessage().contains("3 x values and 2 y values"), ragged.getMessage());
        assertThrows(TuneupException.class, () -> Charts.lineChart(png, "t", "x", "y", false, Map.of(), List.of()));
        assertThrows(TuneupException.class, () -> Charts.lineChart(png, "t", "x", "y", true,
                Map.of("loss", new double[][] {{0, 1}, {1, 2}}), List.of()));
        assertThrows(TuneupException.class, () -> Charts.lineChart(png, "t", "x", "y", true,
                Map.of("loss", new double[][] {{1, 2}, {1, 2}}), List.of(new Charts.Marker(nan, "bad"))));

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", 0);
        row.put("train_loss", nan);
        row.put("train_acc", nan);
        TuneupException noLoss = assertThrows(TuneupException.class, () -> Charts.trainingCurves(png, List.of(row)));
        assertTrue(noLoss.getMessage().contains("train_loss"), noLoss.getMessage());
        row.remove("train_loss");
        TuneupException missing = assertThrows(TuneupException.class, () -> Charts.trainingCurves(png, List.of(row)));
        assertTrue(missing.getMessage().contains("no 'train_loss'"), missing.getMessage());
        assertThrows(TuneupException.class, () -> Charts.trainingCurves(png, List.of()));
        assertFalse(Files.exists(png));
    }
}
