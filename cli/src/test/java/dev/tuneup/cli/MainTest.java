package dev.tuneup.cli;

import static dev.tuneup.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** The CLI through its real entry point, with captured output. */
class MainTest {
    @TempDir
    Path dir;

    /** A tiny ImageFolder: train/test x two classes x two 8x8 images, plus one text file named .jpg. */
    private Path folder(boolean withBadFile) throws IOException {
        Path root = dir.resolve("pets");
        for (String split : new String[] {"train", "test"}) {
            for (String cls : new String[] {"cat", "dog"}) {
                for (int i = 0; i < 2; i++) {
                    Path f = root.resolve(split).resolve(cls).resolve(i + ".png");
                    Files.createDirectories(f.getParent());
                    BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                    im.setRGB(0, 0, cls.equals("cat") ? 0xFF0000 : 0x00FF00);
                    ImageIO.write(im, "png", f.toFile());
                }
            }
        }
        if (withBadFile) {
            Files.writeString(root.resolve("train/cat/broken.jpg"), "not an image");
        }
        return root;
    }

    @Test
    void helpListsTheCommands() {
        CliRun r = run("--help");
        assertEquals(0, r.code());
        for (String cmd : new String[] {"quickstart", "data"}) {
            assertTrue(r.out().contains(cmd), r.out());
        }
        for (String[] sub : new String[][] {{"quickstart", "--help"}, {"data", "info", "--help"}, {"data", "fetch", "--help"}}) {
            CliRun h = run(sub);
            assertEquals(0, h.code(), String.join(" ", sub));
            assertTrue(h.out().startsWith("Usage: tuneup"), h.out());
        }
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("--no-such-option").code());
        assertEquals(2, run("data", "info").code(), "missing DATASET");
        assertEquals(2, run("data", "info", "--data", "x", "--bad-files", "maybe").code());
        CliRun r = run("data", "info", "--data", "x", "--channels", "2");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--channels must be 1 or 3"), r.err());
    }

    @Test
    void failuresPrintCauseAndFixWithoutAStackTrace() {
        CliRun r = run("data", "info", "--data", dir.resolve("missing").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertTrue(r.err().contains("\nfix: "), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace by default");
        CliRun traced = run("data", "info", "--data", dir.resolve("missing").toString(), "--stacktrace");
        assertEquals(1, traced.code());
        assertTrue(traced.err().contains("\tat dev.tuneup."), traced.err());
    }

    @Test
    void dataInfoPrintsCountsAndWritesJson() throws IOException {
        Path json = dir.resolve("out/info.json");
        CliRun r = run("data", "info", "--data", folder(false).toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("pets: 2 classes"), r.out());
        assertTrue(r.out().matches("(?s).*cat\\s+2\\s+2.*"), r.out());
        assertTrue(r.out().contains("train: 8x8, 3 channel(s)"), r.out());
        assertTrue(Files.readString(json).contains("\"content_hash\""), "snake_case keys");
    }

    @Test
    void badFilesFailByDefaultAndAreReportedUnderSkip() throws IOException {
        Path root = folder(true);
        CliRun fail = run("data", "info", "--data", root.toString());
        assertEquals(1, fail.code());
        assertTrue(fail.err().contains("broken.jpg"), fail.err());
        CliRun skip = run("data", "info", "--data", root.toString(), "--bad-files", "skip");
        assertEquals(0, skip.code(), skip.err());
        assertTrue(skip.out().contains("skipped 1 bad file(s)"), skip.out());
        assertTrue(skip.out().contains("broken.jpg: not a PNG, JPEG or BMP image"), skip.out());
    }

    /** Four classes of 8x8 images, each a different colour, 10 training and 3 test images per class. */
    private Path colours() throws IOException {
        Path root = dir.resolve("colours");
        int[] rgb = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00};
        java.util.SplittableRandom rng = new java.util.SplittableRandom(2);
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 4; c++) {
                for (int i = 0; i < (split.equals("train") ? 10 : 3); i++) {
                    Path f = root.resolve(split).resolve("c" + c).resolve(i + ".png");
                    Files.createDirectories(f.getParent());
                    BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            im.setRGB(x, y, rng.nextInt(4) == 0 ? rgb[c] : rng.nextInt(0x1000000));
                        }
                    }
                    ImageIO.write(im, "png", f.toFile());
                }
            }
        }
        return root;
    }

    @Test
    void quickstartTellsTheStoryAndCachesTheBase() throws IOException {
        Path out = dir.resolve("runs");
        String data = colours().toString();
        CliRun r = run("quickstart", "--data", data, "--out", out.toString(), "--batch-size", "4",
                "--base-epochs", "1", "--epochs", "1", "--per-class", "3");
        assertEquals(0, r.code(), r.err());
        for (String step : new String[] {"3. base: a CNN pretrained on classes [0, 1] (c0, c1)",
                "4. fine-tune on classes [2, 3] (c2, c3) from 3 labelled images per class",
                "5. the same target from scratch", "fine-tuned from the base", "from scratch, same budget",
                "LR finder", "bundle -> ", "6. evaluate the fine-tuned bundle", "mean corruption accuracy", "7. one repair round", "Verdict:"}) {
            assertTrue(r.out().contains(step), step + " in\n" + r.out());
        }
        Path run;
        try (Stream<Path> s = Files.list(out)) {
            run = s.filter(p -> p.getFileName().toString().endsWith("-quickstart")).findFirst().orElseThrow();
        }
        for (String f : new String[] {"data.json", "augment-preview.png", "summary.txt", "report.html"}) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        String[] lines = r.out().strip().split("\n");
        assertEquals("report: " + run.resolve("report.html"), lines[lines.length - 1], "the story ends with its report");
        assertLineage(out);
        CliRun again = run("quickstart", "--data", data, "--out", out.toString(), "--batch-size", "4",
                "--base-epochs", "1", "--epochs", "1", "--per-class", "3", "--eval-per-class", "0");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("   cached: "), again.out());
        CliRun preview = run("quickstart", "--data", data, "--out", out.toString(), "--epochs", "0");
        assertEquals(0, preview.code());
        assertFalse(preview.out().contains("3. base"), preview.out());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(4, s.filter(Files::isDirectory).count(), "three quickstart folders (never reused) and the base cache");
        }
    }

    /** The store after a quickstart: base -> fine-tune -> eval and repair -> candidate, each run's parent named. */
    private static void assertLineage(Path out) throws IOException {
        CliRun list = run("runs", "list", out.toString(), "--json");
        assertEquals(0, list.code(), list.err());
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byKind = new java.util.HashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode n : new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(list.out())) {
            assertEquals("finished", n.get("status").asText(), n.toString());
            String id = n.get("id").asText();
            byKind.put(id.contains("quickstart-base/") ? "base" : id.endsWith("-candidate") ? "candidate"
                    : n.get("kind").asText() + (id.endsWith("-scratch") ? "-scratch" : ""), n);
        }
        assertTrue(byKind.keySet().containsAll(java.util.List.of("quickstart", "base", "finetune", "lr-find",
                "train-scratch", "eval", "repair", "candidate")), byKind.keySet().toString());
        String ft = byKind.get("finetune").get("id").asText();
        assertEquals(byKind.get("base").get("id").asText(), byKind.get("finetune").get("parent").asText());
        assertEquals(ft, byKind.get("eval").get("parent").asText());
        assertEquals(ft, byKind.get("repair").get("parent").asText());
        assertEquals(ft, byKind.get("candidate").get("parent").asText()); // its base: the bundle being repaired
        assertTrue(byKind.get("repair").get("lineage").toString().matches(".*\"relation\":\"(accepted|rejected)\".*"),
                byKind.get("repair").toString());
    }

    @Tag("reliability")
    @Test
    void pinnedClassesFixTheIds() throws IOException {
        Path root = folder(false);
        Path json = dir.resolve("pinned.json");
        CliRun r = run("data", "info", "--data", root.toString(), "--classes", "dog,cat", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(json).replaceAll("\\s", "").contains("\"classes\":[\"dog\",\"cat\"]"));
        CliRun missing = run("data", "info", "--data", root.toString(), "--classes", "dog,cat,bird");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("class 'bird' of the pinned class list"), missing.err());
        CliRun unknown = run("data", "info", "--data", root.toString(), "--classes", "dog");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("'cat' is not in the pinned class list"), unknown.err());
    }

    @Test
    void augmentPreviewWritesAGridAndRejectsBadSpecs() throws IOException {
        Path png = dir.resolve("grid.png");
        CliRun r = run("augment", "preview", "--data", folder(false).toString(), "--augment", "crop(8,pad=1) | hflip",
                "--to", png.toString(), "--rows", "2", "--draws", "3");
        assertEquals(0, r.code(), r.err());
        BufferedImage grid = ImageIO.read(png.toFile());
        int cell = 8 * 12; // 8-pixel images enlarged to about 96 pixels
        assertEquals(2 * (cell + 4) + 4, grid.getHeight());
        assertEquals(110 + 4 * (cell + 4) + 4, grid.getWidth());
        CliRun bad = run("augment", "preview", "--data", folder(false).toString(), "--augment", "crop(8) | twirl");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--augment: unknown op 'twirl'; allowed:"), bad.err());
        CliRun tooBig = run("augment", "preview", "--data", folder(false).toString(), "--augment", "crop(64)");
        assertEquals(1, tooBig.code());
        assertTrue(tooBig.err().contains("cannot run on 8x8 images"), tooBig.err());
    }

    @Test
    void fetchOfAnUnknownNameFails() {
        CliRun r = run("data", "fetch", "imagenet");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("fashion-mnist, cifar10"), r.err());
    }
}
