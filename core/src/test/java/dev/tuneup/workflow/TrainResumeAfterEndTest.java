package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.config.RunConfig;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.StopReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A train run that stopped early and was killed while testing or bundling resumes to the same
 * bundle: it is reopened at the epoch it ended, not trained on to training.epochs.
 */
class TrainResumeAfterEndTest {
    @TempDir
    Path dir;

    @Test
    void aRunKilledAfterItsEarlyStopResumesToTheSameBundleWithoutTrainingOn() throws IOException {
        Path data = EvalPipelineTest.stripes(dir);
        // min_delta 10: no epoch after the first improves, so patience 1 stops it at epoch 2 of 6
        RunConfig c = EvalPipelineTest.config(dir, data, "training.epochs=6", "training.patience=1",
                "training.monitor=val_loss", "training.monitor_mode=min", "training.min_delta=10",
                "training.restore_best=false");
        TrainWorkflow.Result straight = TrainWorkflow.train(c.resolve(), RunDir.create(dir.resolve("runs"), "t"),
                Reporter.silent());
        assertEquals(StopReason.EARLY_STOP, straight.fit().reason(), straight.fit().detail());
        assertEquals(2, straight.fit().history().size());
        byte[] weights = Files.readAllBytes(straight.bundle().resolve("weights.params"));
        String metrics = Files.readString(straight.dir().resolve("metrics.csv"));

        // as if killed while bundling: the bundle is gone, fit.json and the checkpoints are there
        try (Stream<Path> s = Files.walk(straight.bundle())) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        TrainWorkflow.Result resumed = TrainWorkflow.resume(RunDir.open(straight.dir()), false, Reporter.silent());
        assertEquals(StopReason.EARLY_STOP, resumed.fit().reason());
        assertEquals(metrics, Files.readString(straight.dir().resolve("metrics.csv")), "no epoch trained on");
        assertArrayEquals(weights, Files.readAllBytes(resumed.bundle().resolve("weights.params")));
        assertTrue(Files.isRegularFile(straight.dir().resolve("fit.json")));
    }
}
