package dev.tuneup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tuneup tune end to end through the real entry point: real trial processes on a tiny image folder. */
class TuneCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** train/ and test/ of 3 classes of 8x8 grey images: a bright band in the top, middle or bottom rows. */
    private Path bands() throws IOException {
        Path root = dir.resolve("bands");
        SplittableRandom rng = new SplittableRandom(1);
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 3; c++) {
                Path folder = root.resolve(split).resolve("band" + c);
                Files.createDirectories(folder);
                for (int i = 0; i < (split.equals("train") ? 30 : 10); i++) {
                    BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            im.getRaster().setSample(x, y, 0, (Math.min(2, y / 3) == c ? 170 : 40) + rng.nextInt(50));
                        }
                    }
                    ImageIO.write(im, "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        return root;
    }

    private List<String> tune(Path base, Path space, String... more) {
        List<String> a = new ArrayList<>(List.of("tune", "--config", base.toString(), "--space", space.toString(),
                "--study", dir.resolve("study").toString(), "--epochs", "1", "--pruner", "none", "--sampler", "tpe",
                "--tpe-startup", "2"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void runsResumesShowsAndRefits() throws IOException {
        Path base = dir.resolve("base.yaml");
        Files.writeString(base, """
                data: {name: %s, channels: 1}
                model: {conv_widths: [8], dense_widths: [16]}
                training: {batch_size: 16, workers: 1, epochs: 1}
                """.formatted(bands()));
        Path space = dir.resolve("space.yaml");
        Files.writeString(space, """
                optimizer.name: {categorical: [sgd, adamw]}
                schedule: {log_uniform: [0.001, 0.1], template: "cosine(lr={})"}
                model.head_dropout: {uniform: [0.0, 0.5], when: {optimizer.name: sgd}}
                """);
        Result r = run(tune(base, space, "--trials", "2"));
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("trial 0 COMPLETE") && r.out.contains("trial 1 COMPLETE"), r.out);
        assertTrue(r.out.contains("final model (trial "), r.out);
        Path study = dir.resolve("study");
        for (String f : List.of("study.db", "base.yaml", "best.yaml", "final.json", "objective.png")) {
            assertTrue(Files.exists(study.resolve(f)), f + " in " + r.out);
        }
        assertTrue(Files.readString(study.resolve("final.json")).contains("test_accuracy"));
        RunConfig best = ConfigLoader.load(study.resolve("best.yaml"), List.of());
        assertEquals(1, best.training().epochs(), "best.yaml is a runnable config");
        assertTrue(best.data().useTest() && !best.data().trainOnVal(), "best.yaml trains as a normal run");

        Result more = run(tune(base, space, "--trials", "3"));
        assertEquals(0, more.code, more.out + more.err);
        assertTrue(more.out.contains("resuming: 2 trials finished earlier are kept"), more.out);
        assertTrue(more.out.contains("trial 2 starts"), more.out);
        assertFalse(more.out.contains("trial 0 starts") || more.out.contains("trial 1 starts"), more.out);

        Result show = run(List.of("tune", "--study", study.toString(), "--show"));
        assertEquals(0, show.code, show.err);
        assertTrue(show.out.contains("3 trials: 3 complete, 0 pruned, 0 failed"), show.out);
        assertTrue(show.out.contains("final refit:"), show.out);
        Result json = run(List.of("tune", "--study", study.toString(), "--show", "--json"));
        assertEquals(0, json.code, json.err);
        com.fasterxml.jackson.databind.JsonNode shown = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out);
        assertEquals(3, shown.get("trials").size(), json.out);
        assertEquals("COMPLETE", shown.get("trials").get(0).get("state").asText());
        assertTrue(shown.get("final_fit").isObject(), json.out);
        assertTrue(json.err.contains("3 trials: 3 complete"), "the leaderboard moves to stderr: " + json.err);
        // the study is a run of the folder above it, its trials and refits nested in it
        Result runs = run(List.of("runs", "list", dir.toString(), "--json"));
        assertEquals(0, runs.code, runs.err);
        com.fasterxml.jackson.databind.JsonNode all = new com.fasterxml.jackson.databind.ObjectMapper().readTree(runs.out);
        int trials = 0;
        for (com.fasterxml.jackson.databind.JsonNode n : all) {
            assertEquals("finished", n.get("status").asText(), n.toString());
            if (n.get("id").asText().equals("study")) {
                assertEquals("tune", n.get("kind").asText());
            } else {
                assertEquals("train", n.get("kind").asText(), n.toString());
                assertEquals("study", n.get("parent").asText(), n.toString());
                trials++;
            }
        }
        assertTrue(trials >= 4, "3 trials and a final refit in\n" + runs.out);

        Result changed = run(tune(base, space, "--trials", "3", "--seed", "9"));
        assertEquals(1, changed.code);
        assertTrue(changed.err.contains("was started with seed 0, not 9"), changed.err);
    }

    @Test
    void aSpaceWithAnUnknownKeyFailsBeforeAnyTrial() throws IOException {
        Path space = dir.resolve("space.yaml");
        Files.writeString(space, "optimizer.weight_decey: {log_uniform: [1.0e-6, 1.0e-2]}\n");
        Result r = run(List.of("tune", "--space", space.toString(), "--study", dir.resolve("study").toString()));
        assertEquals(1, r.code);
        assertTrue(r.err.contains("did you mean optimizer.weight_decay?") && r.err.contains("fix: "), r.err);
        assertFalse(Files.exists(dir.resolve("study/study.db")), "no study was started");
        Result time = run(List.of("tune", "--space", space.toString(), "--time", "ten minutes"));
        assertEquals(2, time.code, time.err);
        assertTrue(time.err.contains("not a duration like 90s"), time.err);
        Result parallel = run(List.of("tune", "--space", space.toString(), "--parallel", "0"));
        assertEquals(2, parallel.code, parallel.err);
        assertTrue(parallel.err.contains("must be at least 1"), parallel.err);
    }
}
