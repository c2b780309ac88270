package dev.tuneup.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leaderboard order, compute saved, importance with a known answer, and the two charts. */
class StudyReportTest {
    @TempDir
    Path dir;

    private static final Objective ACC = new Objective("val_acc", true);
    private static final SearchSpace SPACE = new SearchSpace(List.of(
            new SearchSpace.Param("optimizer.name", new Distribution.Categorical(List.of("sgd", "adamw")), null, Map.of()),
            new SearchSpace.Param("model.head_dropout", new Distribution.Uniform(0, 0.5), null, Map.of())));

    /** The objective depends only on the optimizer (sgd 0.9, adamw 0.7); dropout alternates with it, irrelevant. */
    private static List<Trial> trials() {
        List<Trial> out = new ArrayList<>();
        double[] dropouts = {0.05, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45};
        for (int i = 0; i < 8; i++) {
            String opt = i % 2 == 0 ? "sgd" : "adamw";
            double v = opt.equals("sgd") ? 0.9 : 0.7;
            out.add(new Trial(i, Trial.State.COMPLETE, Map.of("optimizer.name", opt, "model.head_dropout", dropouts[i]), v,
                    List.of(v - 0.1, v - 0.05, v), 10, ""));
        }
        out.add(new Trial(8, Trial.State.PRUNED, Map.of("optimizer.name", "sgd", "model.head_dropout", 0.3), 0.5,
                List.of(0.5), 3, "pruned after epoch 1"));
        out.add(new Trial(9, Trial.State.FAILED, Map.of("optimizer.name", "sgd", "model.head_dropout", 0.3), Double.NaN,
                List.of(), 1, "exit code 1: boom"));
        return out;
    }

    @Test
    void leaderboardRanksCompleteThenPrunedThenFailed() {
        String board = StudyReport.leaderboard(trials(), ACC, 3);
        assertTrue(board.startsWith("10 trials: 8 complete, 1 pruned, 1 failed, 0 running"), board);
        List<String> rows = board.lines().filter(l -> l.matches("\\s+\\d+\\s+\\d+\\s+[A-Z]+.*")).toList();
        assertEquals(10, rows.size(), board);
        assertTrue(rows.get(0).contains("COMPLETE") && rows.get(0).contains("0.9000"), rows.get(0));
        assertTrue(rows.get(8).contains("PRUNED") && rows.get(9).contains("FAILED"), board);
        // 8 x 3 + 1 + 0 epochs of 10 x 3
        assertTrue(board.contains("epochs trained: 25 of 30") && board.contains("(17% saved)"), board);
    }

    @Test
    void importanceFindsTheKeyThatMatters() {
        Map<String, Double> imp = StudyReport.importance(trials(), SPACE);
        assertEquals(List.of("optimizer.name", "model.head_dropout"), List.copyOf(imp.keySet()));
        assertEquals(1.0, imp.get("optimizer.name"), 1e-12, "the optimizer explains all the variance");
        // each of dropout's four bins holds one sgd and one adamw trial: every bin mean is 0.8, nothing explained
        assertEquals(0.0, imp.get("model.head_dropout"), 1e-9);
        assertTrue(StudyReport.importance(trials().subList(0, 4), SPACE).isEmpty(), "fewer than 5 complete trials");
    }

    @Test
    void importanceIsCorrectedForFewTrialsInManyBins() {
        // Five trials, dropout bins {0,1} {2} {3} {4}: eta squared would be 0.8; epsilon squared
        // (0.32 - 3 x 0.08 / 1) / 0.40 = 0.2.
        double[] values = {0.1, 0.5, 0.3, 0.9, 0.2};
        List<Trial> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(new Trial(i, Trial.State.COMPLETE, Map.of("optimizer.name", "sgd", "model.head_dropout", 0.1 * i),
                    values[i], List.of(values[i]), 1, ""));
        }
        Map<String, Double> imp = StudyReport.importance(five, SPACE);
        assertEquals(0.2, imp.get("model.head_dropout"), 1e-9);
        assertEquals(0.0, imp.get("optimizer.name"), 1e-12, "one choice seen: nothing to explain");
    }

    @Test
    void plotsAreRealImages() throws IOException {
        List<Path> files = StudyReport.plots(dir, trials(), SPACE, ACC);
        assertEquals(List.of(dir.resolve("objective.png"), dir.resolve("importance.png")), files);
        for (Path f : files) {
            BufferedImage im = ImageIO.read(f.toFile());
            assertEquals(900, im.getWidth());
        }
    }
}
