package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.report.ReportKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every report kind rendered by a real browser (Debian's headless Chromium, started here): the
 * screenshot is not blank, the key numbers are in the DOM the browser built, and the page logged no
 * error (no uncaught exception, no console error, no load refused by its Content-Security-Policy).
 * Skipped, saying why, where Chromium is not installed; {@code .ci/run} installs it.
 */
@Tag("browser")
class ReportBrowserTest {
    private static Chromium browser;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void everyKindRendersWithItsNumbersAndNoErrors() throws Exception {
        ReportFixtures f = new ReportFixtures(tmp.resolve("runs"));
        Path base = f.train("run", null);
        Path ft = f.finetune(base);
        Map<Path, List<String>> expected = new LinkedHashMap<>();
        expected.put(base, List.of("[data-key=test accuracy]", "0.8125"));
        expected.put(ft, List.of("[data-key=test accuracy]", "0.8125"));
        Path eval = f.eval(ft);
        double acc = dev.tuneup.evaluate.Evaluation.of(f.probs, f.labels, ReportFixtures.CLASSES, 10, 0, 0).accuracy();
        expected.put(eval, List.of("[data-key=accuracy]", num(acc)));
        expected.put(f.analyze(ft), List.of("[data-key=accuracy]", num(acc)));
        expected.put(f.labelIssues(), List.of("[data-key=suspected label errors]", "5"));
        var gate = f.gate();
        expected.put(f.repair(ft), List.of("[data-verdict]", gate.accepted() ? "ACCEPTED" : "REJECTED",
                "[data-key=accuracy after]", num(gate.accuracyAfter())));
        expected.put(f.study(), List.of("[data-key=best val_acc]", "0.8000", "[data-key=pruned]", "1"));
        expected.put(f.quickstart(), List.of("#summary [data-key=finetune test accuracy]", "0.8125",
                "#finetune-summary [data-key=test accuracy]", "0.8125",
                "[data-verdict]", gate.accepted() ? "ACCEPTED" : "REJECTED"));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Path, List<String>> e : expected.entrySet()) {
            ReportWorkflow.Result r = ReportWorkflow.run(new ReportWorkflow.Request(e.getKey(), null));
            Chromium.Page page = browser.open(r.file(), 1100, 900);
            String kind = r.kind().id();
            if (!page.errors().isEmpty()) {
                problems.add(kind + ": " + page.errors());
            }
            double spread = spread(page.png());
            if (spread < 20) {
                problems.add(kind + ": screenshot looks blank (pixel standard deviation " + spread + ")");
            }
            Document dom = Jsoup.parse(page.dom());
            if (!dom.body().attr("data-kind").equals(kind)) {
                problems.add(kind + ": body data-kind is '" + dom.body().attr("data-kind") + "'");
            }
            List<String> want = e.getValue();
            for (int i = 0; i < want.size(); i += 2) {
                var el = dom.select(want.get(i)).first();
                String got = el == null ? null : el.hasAttr("data-verdict") ? el.attr("data-verdict")
                        : el.select(".v").text();
                if (!want.get(i + 1).equals(got)) {
                    problems.add(kind + ": " + want.get(i) + " shows " + got + ", expected " + want.get(i + 1));
                }
            }
            if (dom.select("img").stream().anyMatch(img -> !img.attr("src").startsWith("data:image/png"))) {
                problems.add(kind + ": an image not inlined");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(ReportKind.values().length, expected.size(), "one page per kind");
    }

    @Test
    void aClassNamedScriptIsShownAsTextAndRunsNothing() throws Exception {
        ReportFixtures f = new ReportFixtures(tmp.resolve("escape"));
        Path eval = f.eval(f.finetune(f.train("run", null)));
        Chromium.Page page = browser.open(ReportWorkflow.run(new ReportWorkflow.Request(eval, null)).file(), 1100, 900);
        Document dom = Jsoup.parse(page.dom());
        assertTrue(dom.select("script").isEmpty(), "the browser built no script element");
        assertTrue(dom.select("#per-class td").eachText().contains(ReportFixtures.SCRIPT_CLASS));
        assertTrue(page.errors().isEmpty(), page.errors().toString());
    }

    /**
     * Writes a full-page screenshot of each folder's report for the docs: run with
     * {@code -Dtuneup.reportShots=docs/img -Dtuneup.reportFolders=a,b,...} (bench/report-screenshots.sh).
     */
    @Test
    void screenshotsForTheDocs() throws Exception {
        String to = System.getProperty("tuneup.reportShots");
        Assumptions.assumeTrue(to != null, "set -Dtuneup.reportShots=DIR and -Dtuneup.reportFolders=... to write them");
        for (String folder : System.getProperty("tuneup.reportFolders", "").split(",")) {
            ReportWorkflow.Result r = ReportWorkflow.run(new ReportWorkflow.Request(Path.of(folder), tmp.resolve(
                    "shot-" + Path.of(folder).getFileName() + ".html")));
            Chromium.Page page = browser.open(r.file(), 1200, 900, 2200, 0.5);
            assertTrue(page.errors().isEmpty(), page.errors().toString());
            Files.createDirectories(Path.of(to));
            Files.write(Path.of(to, "report-" + r.kind().id() + ".png"), page.png());
        }
    }

    /** Standard deviation of the grey level over the screenshot's pixels. */
    static double spread(byte[] png) throws Exception {
        BufferedImage im = ImageIO.read(new ByteArrayInputStream(png));
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int y = 0; y < im.getHeight(); y += 2) {
            for (int x = 0; x < im.getWidth(); x += 2) {
                int rgb = im.getRGB(x, y);
                double g = (((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255)) / 3.0;
                sum += g;
                sq += g * g;
                n++;
            }
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sq / n - mean * mean));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
