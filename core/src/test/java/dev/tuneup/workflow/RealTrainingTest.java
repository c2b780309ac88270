package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.EpochMetrics;
import dev.tuneup.train.FitListener;
import dev.tuneup.train.FitLoop;
import dev.tuneup.train.Scores;
import dev.tuneup.train.TrainingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on a real Fashion-MNIST subset: loss goes down, accuracy goes up, within seconds. */
class RealTrainingTest {
    @TempDir
    Path dir;

    @Test
    void fashionMnistSubsetLearns() {
        Path shared = Path.of(System.getProperty("tuneup.sharedData", "../shared/data"));
        assumeTrue(Files.isDirectory(shared.resolve("fashion-mnist")), "Fashion-MNIST not found in " + shared);
        RunConfig c = ConfigLoader.load(null, List.of("data.data_dirs=[" + shared + "]", "data.per_class=150",
                "data.val_fraction=0.02", "training.epochs=3", "training.batch_size=64", "model.conv_widths=[16, 32]", "model.dense_widths=[64]",
                "output.dir=" + dir));
        List<EpochMetrics> epochs = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            Sessions.Opened o = Sessions.open(c.resolve(), RunDir.create(dir, "real"), m, LoadOptions.defaults(),
                    Reporter.silent());
            try (TrainingSession s = o.session()) {
                new FitLoop(s, List.of(new FitListener() {
                    @Override
                    public void onEpochEnd(EpochMetrics e) {
                        epochs.add(e);
                    }
                })).run();
                Scores test = s.evaluate(o.test());
                assertTrue(epochs.get(2).trainLoss() < epochs.get(0).trainLoss(), epochs.toString());
                assertTrue(epochs.get(2).valAcc() > epochs.get(0).valAcc(), epochs.toString());
                assertTrue(test.accuracy() > 0.7, "test accuracy " + test.accuracy());
                o.test().close();
            }
        }
    }
}
