package dev.tuneup.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.track.RunDir;
import dev.tuneup.workflow.CrossFitting;
import dev.tuneup.workflow.Reporter;
import dev.tuneup.workflow.Sessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** label-issues' cross-fitting folds as Spark tasks give the probabilities one process gives, with changed labels. */
class SparkFoldsTest {
    @TempDir
    Path dir;

    @Test
    void foldsTrainedAsSparkTasksEqualFoldsTrainedInProcess() throws Exception {
        Path data = Fixture.trainAndTest(dir);
        ResolvedRun run = ConfigLoader.load(null, List.of("data.name=" + data, "data.val_fraction=0.25",
                "model.arch=cnn", "model.conv_widths=[4]", "model.dense_widths=[8]", "schedule=constant(lr=0.05)",
                "training.epochs=1", "training.batch_size=16", "training.workers=1", "training.seed=3",
                "output.dir=" + dir.resolve("runs"))).resolve();
        Sessions.Images loaded = Sessions.images(run, LoadOptions.defaults(), Reporter.silent());
        int[] labels = loaded.train().labels().clone();
        for (int i = 0; i < labels.length; i += 7) {
            labels[i] = (labels[i] + 1) % 3; // as --inject-noise does: the tasks must use these, not the files'
        }
        ImageSet train = loaded.train().withLabels(labels, loaded.train().classes());
        Sessions.Images images = loaded.with(train, loaded.val(), null);
        float[][] local;
        try (NDManager m = NDManager.newBaseManager()) {
            local = CrossFitting.outOfSample(run, images, 3, RunDir.create(dir, "in-process"), m, Reporter.silent());
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("SparkFoldsTest")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            List<String> lines = new ArrayList<>();
            RunDir parent = RunDir.create(dir, "spark");
            float[][] distributed = new SparkFolds().outOfSample(run, images, 3, parent, null, Reporter.lines(lines::add));
            assertTrue(lines.get(0).contains("3 folds as Spark tasks on local[2]"), lines.toString());
            assertEquals(local.length, distributed.length);
            for (int i = 0; i < local.length; i++) {
                assertArrayEquals(local[i], distributed[i], 0f, "row " + i);
            }
            try (var folds = Files.list(parent.path())) {
                assertEquals(3, folds.filter(p -> p.getFileName().toString().contains("fold-")).count());
            }
        } finally {
            spark.stop();
        }
    }
}
