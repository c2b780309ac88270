package dev.tuneup.cli;

import static dev.tuneup.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tuneup runs list/show/compare/reindex over real train, finetune, eval and analyze runs. */
class RunsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CliRun train(Path data, String name, String... more) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(Bars.settings(data, dir.resolve("runs")));
        a.addAll(List.of("--set", "data.classes=[0, 1]", "--set", "training.epochs=2", "--set", "output.name=" + name));
        for (String m : more) {
            a.addAll(List.of("--set", m));
        }
        return run(a);
    }

    @Test
    void everyRunIsListedShownAndComparedWithItsLineage() throws IOException {
        Path data = Bars.write(dir.resolve("bars"));
        Path runs = dir.resolve("runs");
        CliRun t = train(data, "base");
        assertEquals(0, t.code(), t.err());
        Path base = Bars.newest(runs, "-base");
        assertTrue(t.out().contains("curves -> " + base.resolve("curves.png")), t.out());
        assertNotBlank(base.resolve("curves.png"), 900, 760);

        List<String> ft = new ArrayList<>(List.of("finetune", "--base", base.resolve("bundle").toString()));
        ft.addAll(Bars.settings(data, runs));
        ft.addAll(List.of("--set", "data.classes=[2, 3]", "--set", "training.epochs=1", "--set", "finetune.lr=0.01",
                "--set", "output.name=ft"));
        assertEquals(0, run(ft).code());
        Path ftRun = Bars.newest(runs, "-ft");
        CliRun e = run("eval", "--model", ftRun.resolve("bundle").toString(), "--data", data.toString(), "--limit", "4",
                "--bootstrap", "0", "--out", runs.toString());
        assertEquals(0, e.code(), e.err());
        CliRun an = run("analyze", "--model", ftRun.resolve("bundle").toString(), "--data", data.toString(), "--top",
                "3", "--out", runs.toString());
        assertEquals(0, an.code(), an.err());

        CliRun list = run("runs", "list", runs.toString());
        assertEquals(0, list.code(), list.err());
        String baseId = base.getFileName().toString();
        String ftId = ftRun.getFileName().toString();
        assertTrue(line(list.out(), baseId).matches(baseId + " +train +finished .*val_acc 1\\.0000.*"), list.out());
        assertTrue(line(list.out(), ftId).matches(ftId + " +finetune +finished .* " + baseId), list.out());
        assertTrue(line(list.out(), "-eval").matches(".*-eval +eval +finished .*accuracy .* " + ftId), list.out());
        assertTrue(line(list.out(), "-analyze").matches(".*-analyze +analyze +finished .* " + ftId), list.out());
        assertTrue(list.out().endsWith("4 runs\n"), list.out());
        JsonNode all = JSON.readTree(run("runs", "list", runs.toString(), "--json").out());
        assertEquals(4, all.size());
        assertEquals(List.of("train", "finetune", "eval", "analyze"), kinds(all));
        assertEquals(baseId, all.get(1).get("parent").asText()); // fine-tune -> base run
        assertEquals(ftId, all.get(2).get("parent").asText()); // eval -> the fine-tune's bundle
        assertEquals("finished", all.get(0).get("status").asText());
        assertTrue(all.get(0).get("artefacts").toString().contains("curves.png"));
        assertEquals(List.of("finetune"), kinds(JSON.readTree(run("runs", "list", runs.toString(), "--filter",
                "kind=finetune", "--json").out())));
        assertEquals(List.of("eval", "analyze"), kinds(JSON.readTree(run("runs", "list", runs.toString(), "--filter",
                "parent=" + ftId, "--json").out())));
        assertEquals(List.of("train"), kinds(JSON.readTree(run("runs", "list", runs.toString(), "--filter",
                "data.classes=[0, 1]", "--filter", "epochs>1", "--json").out())));
        CliRun typo = run("runs", "list", runs.toString(), "--filter", "val_ac>0.5");
        assertEquals(1, typo.code());
        assertTrue(typo.err().contains("did you mean val_acc?"), typo.err());

        CliRun show = run("runs", "show", "ft", "--dir", runs.toString());
        assertEquals(0, show.code(), show.err());
        for (String s : List.of("kind     finetune", "status   finished", "base       " + base.resolve("bundle"),
                "(run " + baseId + ")", "training.epochs              1", "files    ")) {
            assertTrue(show.out().contains(s), s + " in\n" + show.out());
        }
        assertEquals(ftId, JSON.readTree(run("runs", "show", ftId, "--dir", runs.toString(), "--json").out())
                .get("id").asText());

        Path png = dir.resolve("cmp/both.png");
        CliRun cmp = run("runs", "compare", baseId, ftId, "--dir", runs.toString(), "--out", png.toString());
        assertEquals(0, cmp.code(), cmp.err());
        for (String s : List.of("data.classes", "[0, 1]", "[2, 3]", "training.epochs", "METRIC", "val_acc",
                "curves -> " + png)) {
            assertTrue(cmp.out().contains(s), s + " in\n" + cmp.out());
        }
        assertNotBlank(png, 900, 540);
        JsonNode c = JSON.readTree(run("runs", "compare", baseId, ftId, "--dir", runs.toString(), "--out",
                png.toString(), "--json").out());
        assertEquals("[0, 1]", c.get("differing_config").get("data.classes").get(0).asText());

        String before = run("runs", "list", runs.toString(), "--json").out();
        Files.delete(runs.resolve("runs.db"));
        CliRun re = run("runs", "reindex", runs.toString());
        assertEquals(0, re.code(), re.err());
        assertTrue(re.out().startsWith("4 runs indexed"), re.out());
        assertEquals(before, run("runs", "list", runs.toString(), "--json").out());
    }

    @Test
    void aDamagedRunStoreNeverStopsATrainingRun() throws IOException {
        Path data = Bars.write(dir.resolve("bars"));
        Path runs = Files.createDirectories(dir.resolve("runs"));
        Files.writeString(runs.resolve("runs.db"), "not a database ".repeat(100));
        CliRun t = train(data, "damaged", "training.epochs=1");
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.isDirectory(Bars.newest(runs, "-damaged").resolve("bundle")));
        CliRun list = run("runs", "list", runs.toString());
        assertEquals(1, list.code());
        assertTrue(list.err().contains("tuneup runs reindex"), list.err());
        assertEquals(0, run("runs", "reindex", runs.toString()).code());
        CliRun again = run("runs", "list", runs.toString(), "--filter", "status=finished");
        assertTrue(line(again.out(), "-damaged").matches(".*-damaged +train +finished .*") && again.out().endsWith("1 run\n"),
                again.out());
    }

    @Test
    void everyRunsCommandHasHelp() {
        for (String sub : List.of("list", "show", "compare", "reindex")) {
            CliRun h = run("runs", sub, "-h");
            assertEquals(0, h.code(), h.err());
            assertTrue(h.out().contains("Usage: tuneup runs " + sub), h.out());
        }
        assertEquals(2, run("runs", "compare", "only-one").code());
    }

    /** The first line of {@code text} that contains {@code part}. */
    private static String line(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).findFirst().orElse("");
    }

    private static List<String> kinds(JsonNode runs) {
        List<String> out = new ArrayList<>();
        runs.forEach(r -> out.add(r.get("kind").asText()));
        return out;
    }

    /** A PNG of the given size with more than a few colours (lines and text drawn, not an empty canvas). */
    static void assertNotBlank(Path png, int width, int height) throws IOException {
        BufferedImage im = ImageIO.read(png.toFile());
        assertEquals(width, im.getWidth());
        assertEquals(height, im.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < im.getHeight(); y += 3) {
            for (int x = 0; x < im.getWidth(); x += 3) {
                colours.add(im.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 8, colours.size() + " colours in " + png);
    }
}
