package dev.tuneup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval}, {@code label-issues} and {@code tune} with {@code --spark} but without the Spark module on the class path (the CLI's own tests never have it):
 * one clear error naming how to add it, before any run folder is made. The Spark runs themselves are
 * tested in the spark module (SparkEvalTest).
 */
class EvalSparkCommandTest {
    @TempDir
    Path dir;

    @Test
    void sparkWithoutTheModuleSaysHowToAddIt() {
        for (String flag : new String[] {"--spark", "--master=local[2]"}) {
            CliRun r = CliRun.run("eval", "--model", dir.resolve("bundle").toString(), "--data", "cifar10", flag,
                    "--out", dir.resolve("runs").toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("--spark needs tuneup's Spark module, which is not on the class path"), r.err());
            assertTrue(r.err().contains("mvn -B -pl cli,spark -am package -DskipTests"), r.err());
            assertFalse(Files.exists(dir.resolve("runs")), "a run folder was made for a run that cannot start");
        }
    }

    @Test
    void labelIssuesWithSparkWithoutTheModuleSaysHowToAddIt() {
        CliRun r = CliRun.run("label-issues", "--set", "data.name=cifar10", "--set", "output.dir=" + dir.resolve("runs"),
                "--master", "local[2]");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("--spark needs tuneup's Spark module"), r.err());
        assertFalse(Files.exists(dir.resolve("runs")), "a run folder was made for a run that cannot start");
    }

    @Test
    void tuneWithSparkWithoutTheModuleSaysHowToAddIt() throws Exception {
        Path space = Files.writeString(dir.resolve("space.yaml"), "training.lr:\n  log_uniform: [0.001, 0.1]\n");
        CliRun r = CliRun.run("tune", "--space", space.toString(), "--study", dir.resolve("study").toString(),
                "--trials", "1", "--spark");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("--spark needs tuneup's Spark module"), r.err());
        assertFalse(Files.exists(dir.resolve("study")), "a study folder was made for a study that cannot start");
    }

    @Test
    void anUnknownPredictionsFormatIsAUsageError() {
        CliRun r = CliRun.run("eval", "--model", "b", "--data", "d", "--spark", "--predictions-format", "json");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--predictions-format must be parquet or csv, got 'json'"), r.err());
    }
}
