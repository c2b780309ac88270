package dev.tuneup.cli;

import static dev.tuneup.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad config is a usage error (exit 2) that names the key, found before any data is read: the
 * data set named here does not exist, so a command that read data first would fail with exit 1 and
 * a data error instead, and no run folder may appear.
 */
@Tag("reliability")
class ConfigErrorsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                bad("train", "config model.arch has no value", "model.arch=null"),
                bad("train", "config training.monitor has no value", "training.monitor=~"),
                bad("train", "training.epochs must be >= 1", "training.epochs=0"),
                bad("train", "did you mean cosine?", "schedule=cosin(lr=0.1)"),
                bad("train", "did you mean adam?", "optimizer.name=adamm"),
                bad("train", "did you mean resnet?", "model.arch=resnt"),
                bad("train", "did you mean relu?", "model.activation=rellu"),
                bad("train", "model.norm 'batchh'", "model.norm=batchh"),
                bad("train", "training.divergence 'halt'", "training.divergence=halt"),
                bad("train", "did you mean val_acc?", "training.monitor=val_accuracy"),
                bad("train", "training.monitor_mode 'maximum'", "training.monitor_mode=maximum"),
                bad("train", "training.batch_size must be >= 1", "training.batch_size=0"),
                bad("train", "regularization.label_smoothing", "regularization.label_smoothing=1.5"),
                bad("train", "augment.train", "augment.train=crop(32) | twirl"),
                bad("train", "6n+2", "model.arch=resnet", "model.depth=21"),
                bad("train", "data.val_fraction", "data.val_fraction=1.5"),
                bad("train", "data.channels must be 1 or 3", "data.channels=2"),
                bad("train", "did you mean fine_tune?", "finetune.recipe=finetune"),
                bad("finetune", "finetune.bn 'frozen'", "finetune.bn=frozen"),
                bad("train", "config key trainning is unknown; did you mean training?", "trainning.epochs=3"),
                bad("train", "training.epochs has the wrong type", "training.epochs=ten"),
                bad("train", "output.name 'a/b'", "output.name=a/b"),
                bad("lr-find", "optimizer.momentum", "optimizer.momentum=1.5"),
                bad("label-issues", "training.keep_checkpoints", "training.keep_checkpoints=0"),
                bad("train", "schedule", "schedule=plateau(lr=0.1,mode=sideways)"),
                bad("train", "training.patience", "training.patience=-1"),
                bad("train", "optimizer.nesterov", "optimizer.nesterov=true", "optimizer.name=adam"),
                bad("train", "data.classes lists a class twice", "data.classes=[1, 1]"),
                bad("repair", "gate.class_check 'tset'", "gate.class_check=tset"),
                bad("repair", "gate.alpha must be in (0, 1)", "gate.alpha=5"),
                bad("train", "training.batch_size has the wrong type", "training.batch_size=1.5"),
                bad("train", "optimizer.beta1 must be in [0, 1)", "optimizer.name=adam", "optimizer.beta1=1.0"),
                bad("train", "optimizer.eps must be > 0", "optimizer.name=adam", "optimizer.eps=0"),
                bad("train", "model.conv_widths", "model.arch=cnn", "model.conv_widths=[0]"),
                bad("finetune", "training.epochs must be >= 1", "training.epochs=0"),
                bad("finetune", "regularization.label_smoothing", "regularization.label_smoothing=1.5"),
                bad("lr-find", "regularization.label_smoothing", "regularization.label_smoothing=1.5"),
                bad("label-issues", "training.epochs must be >= 1", "training.epochs=0"));
    }

    private static Arguments bad(String command, String expected, String... sets) {
        return Arguments.of(command, expected, List.of(sets));
    }

    @Tag("reliability")
    @ParameterizedTest(name = "{0} --set {2}")
    @MethodSource("badConfigs")
    void exitsTwoNamingTheKeyBeforeReadingData(String command, String expected, List<String> sets) {
        List<String> args = new ArrayList<>(List.of(command));
        if (command.equals("repair")) {
            args.addAll(List.of("--model", dir.resolve("no-bundle").toString()));
        }
        args.addAll(List.of("--data", dir.resolve("never-read").toString(), "--out",
                dir.resolve("runs").toString()));
        sets.forEach(s -> args.addAll(List.of("--set", s)));
        CliRun r = run(args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertTrue(r.err().contains("fix: "), r.err());
        assertFalse(r.err().contains("never-read"), "the data were looked for: " + r.err());
        assertFalse(Files.exists(dir.resolve("runs")), "a run folder was created");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        CliRun r = run("train", "--data", dir.resolve("never-read").toString(), "--set", "training.epochs=0", "--set",
                "optimizer.name=adamm", "--set", "schedule=cosin(lr=0.1)", "--set", "model.norm=none2");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("config has 4 problems"), r.err());
        for (String key : List.of("training.epochs", "optimizer.name", "schedule", "model.norm")) {
            assertTrue(r.err().contains(key), key + " missing from " + r.err());
        }
    }

    @Test
    void repairAndTuneCheckTheirConfigFirstToo() throws Exception {
        CliRun repair = run("repair", "--model", dir.resolve("no-bundle").toString(), "--set", "training.epochs=0");
        assertEquals(2, repair.code(), repair.err());
        assertTrue(repair.err().contains("training.epochs"), repair.err());
        Path space = Files.writeString(dir.resolve("space.yaml"), "optimizer.weight_decay: {log_uniform: [1.0e-6, 1.0e-2]}\n");
        CliRun tune = run("tune", "--space", space.toString(), "--study", dir.resolve("study").toString(), "--set",
                "schedule=cosin(lr=0.1)");
        assertEquals(2, tune.code(), tune.err());
        assertTrue(tune.err().contains("did you mean cosine?"), tune.err());
    }

    @Tag("reliability")
    @Test
    void duplicateYamlKeyIsAConfigError() throws Exception {
        Path config = Files.writeString(dir.resolve("dup.yaml"), "training:\n  epochs: 3\n  epochs: 5\n");
        CliRun r = run("train", "--config", config.toString(), "--data", dir.resolve("never-read").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("epochs") && r.err().contains("Duplicate"), r.err());
    }

    @Tag("reliability")
    @Test
    void hugeConfigFileIsRefusedBeforeItIsParsed() throws Exception {
        Path config = dir.resolve("huge.yaml");
        Files.writeString(config, ("# " + "x".repeat(98) + "\n").repeat(100_000)); // 10 MB of comments
        long start = System.nanoTime();
        CliRun r = run("train", "--config", config.toString(), "--data", dir.resolve("never-read").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("10100000 bytes") && r.err().contains("1048576"), r.err());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "took too long");
    }
}
