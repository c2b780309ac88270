package dev.tuneup.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.TuneupException;
import dev.tuneup.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The end of a study: {@code best.yaml} (the base config with the best complete trial's values and
 * the trials' epochs, runnable with {@code tuneup train --config best.yaml}), then one refit of it on
 * training plus validation images ({@code data.train_on_val}, no best-epoch restore since the
 * validation set is no longer held out), evaluated once on the test set. The refit runs in its own
 * process, like the trials; its test metrics are written to {@code final.json} in the study folder.
 */
public final class FinalFit {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The refit's outcome on the test set. */
    public record Result(int trial, double testLoss, double testAccuracy, double testTop5, Path run) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "final model (trial %d's values, trained on train+val): test loss %.4f,"
                    + " accuracy %.4f, top-5 %.4f (%s)", trial, testLoss, testAccuracy, testTop5, run);
        }
    }

    private FinalFit() {
    }

    /** Writes {@code best.yaml} into {@code dir} and returns it. */
    public static Path writeBest(Path dir, Path baseYaml, SearchSpace space, Trial best, int epochs) {
        List<String> sets = new ArrayList<>(space.overrides(best.params()));
        sets.add("training.epochs=" + epochs);
        String yaml = "# tuneup tune: trial " + best.number() + " (" + StudyReport.values(best.params()) + ")\n"
                + ConfigLoader.toYaml(ConfigLoader.load(baseYaml, sets));
        Path out = dir.resolve("best.yaml");
        try {
            Files.writeString(out, yaml);
        } catch (IOException e) {
            throw new TuneupException("cannot write " + out + ": " + e.getMessage(), "check the study folder");
        }
        return out;
    }

    /**
     * Runs {@code trainCommand} (the launcher and {@code train}, without --config) on {@code bestYaml}
     * with validation images trained on, into {@code dir/final/}, and reads back its test metrics.
     */
    public static Result run(List<String> trainCommand, Path bestYaml, Path dir, int trial) throws InterruptedException {
        Path folder = dir.resolve("final");
        List<String> cmd = new ArrayList<>(trainCommand);
        cmd.addAll(List.of("--config", bestYaml.toString(), "--set", "data.train_on_val=true", "--set",
                "data.use_test=true", "--set", "training.restore_best=false", "--set", "training.patience=0", "--set",
                "output.dir=" + folder.toAbsolutePath(), "--set", "output.name=final-trial-" + trial, "--stop-with-parent"));
        TrialProcess p = TrialProcess.start("the final refit", folder, cmd);
        while (p.alive()) {
            Thread.sleep(500);
        }
        Path run = p.runDir();
        if (p.exitCode() != 0 || run == null || !Files.isRegularFile(run.resolve("test.json"))) {
            throw new TuneupException("the final refit failed (exit code " + p.exitCode() + "): " + p.stderrTail(3),
                    "see " + folder.resolve("stderr.log") + "; the best config is in " + bestYaml);
        }
        try {
            JsonNode test = JSON.readTree(run.resolve("test.json").toFile());
            Result r = new Result(trial, test.get("loss").asDouble(), test.get("accuracy").asDouble(),
                    test.get("top5").asDouble(), run);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("final.json").toFile(), java.util.Map.of(
                    "trial", trial, "test_loss", r.testLoss(), "test_accuracy", r.testAccuracy(), "test_top5",
                    r.testTop5(), "run", run.toString(), "best_yaml", bestYaml.toString()));
            return r;
        } catch (IOException e) {
            throw new TuneupException("cannot read the final refit's test.json: " + e.getMessage(), "see " + run);
        }
    }
}
