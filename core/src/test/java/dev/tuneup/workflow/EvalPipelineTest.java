package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.config.ConfigException;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.Fit;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.loader.Batch;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.EpochMetrics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One eval pipeline: with data.size the model sees every image at that size by one rule, whether the
 * image is validated in training, decoded by {@code eval} from its file, or sent to a Predictor.
 */
class EvalPipelineTest {
    @TempDir
    Path dir;

    private Path stripes() throws IOException {
        return stripes(dir);
    }

    /** 3 classes of 16x16 RGB under {@code dir}: a bright stripe per class at a class-specific height, with noise. */
    static Path stripes(Path dir) throws IOException {
        return Stripes.write(dir, 11);
    }

    private RunConfig config(Path data, String... more) {
        return config(dir, data, more);
    }

    /** A tiny cnn on {@code data} with runs under {@code dir}/runs, plus {@code more} overrides. */
    static RunConfig config(Path dir, Path data, String... more) {
        List<String> sets = new ArrayList<>(List.of("data.name=" + data, "data.val_fraction=0.25", "model.arch=cnn",
                "model.conv_widths=[8,16]", "model.dense_widths=[16]", "schedule=constant(lr=0.05)",
                "training.epochs=1", "training.batch_size=16", "training.workers=1", "training.seed=3",
                "output.dir=" + dir.resolve("runs")));
        sets.addAll(List.of(more));
        return ConfigLoader.load(null, sets);
    }

    @Test
    void aResizingTrainSpecNeedsAnEvalSizeThatAgrees() {
        Path data = dir.resolve("none");
        ConfigException none = assertThrows(ConfigException.class,
                () -> config(data, "augment.train=resizedcrop(24) | hflip").resolve());
        assertTrue(none.getMessage().contains("augment.train") && none.getMessage().contains("data.size: 24"),
                none.getMessage());
        ConfigException other = assertThrows(ConfigException.class,
                () -> config(data, "augment.train=resizedcrop(20)", "data.size=24").resolve());
        assertTrue(other.getMessage().contains("trains at 20x20, but data.size is 24"), other.getMessage());
        ConfigException rule = assertThrows(ConfigException.class, () -> config(data, "data.resize=squash").resolve());
        assertTrue(rule.getMessage().contains("data.resize"), rule.getMessage());
        config(data, "augment.train=resizedcrop(24) | hflip", "data.size=24").resolve();
    }

    @Test
    void aSizeChangingCropWithoutDataSizeIsRefusedOnceTheDataLoad() throws IOException {
        Path data = stripes();
        TuneupException e = assertThrows(TuneupException.class, () -> Sessions.images(
                config(data, "augment.train=crop(12)").resolve(), LoadOptions.defaults(), Reporter.silent()));
        assertTrue(e.getMessage().contains("16x16 images into 12x12") && e.fix().contains("data.size: 12"),
                e.getMessage() + " / " + e.fix());
    }

    @Test
    void trainingValidationEvalAndPredictorSeeOneSize() throws IOException {
        Path data = stripes();
        RunConfig c = config(data, "data.size=24", "augment.train=hflip");
        Sessions.Images images = Sessions.images(c.resolve(), LoadOptions.defaults(), Reporter.silent());
        assertEquals(new Fit(24, 24, 0.875), images.fit());
        assertEquals("fit(24,crop=0.875) | hflip", images.augment().pipeline().toString(),
                "training images reach the size the way evaluation does");
        assertEquals(16, images.val().height(), "kept at their own size in memory");

        TrainWorkflow.Result r = TrainWorkflow.train(c.resolve(), RunDir.create(dir.resolve("runs"), "t"), Reporter.silent());
        EpochMetrics last = r.fit().history().get(r.fit().history().size() - 1);
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = ModelBundle.load(r.bundle(), m);
            Preprocessing p = b.info().preprocessing();
            assertEquals(Preprocessing.CENTER_CROP, p.resize());
            assertEquals(24, p.height());
            assertEquals(0.875, p.cropFraction());
            try (BatchLoader l = Predictor.evalLoader(images.val(), p, 16, 0)) {
                Iterator<Batch> it = l.epoch(0, m);
                try (Batch batch = it.next()) {
                    assertEquals(24, batch.data().getShape().get(2), "validation batches are 24x24");
                }
            }
            Predictor pred = new Predictor(b, m, 16);
            float[][] inMemory = pred.probabilities(images.val());
            int right = 0;
            for (int i = 0; i < inMemory.length; i++) {
                right += argmax(inMemory[i]) == images.val().label(i) ? 1 : 0;
            }
            assertEquals(last.valAcc(), (double) right / inMemory.length, 1e-12,
                    "the validation accuracy training reported is what the bundle's pipeline gives");

            // eval decodes the files straight to the model's size by the same rule: identical answers
            ImageSet test = EvalWorkflow.split(b, data.toString(), "test", List.of(), Reporter.silent());
            assertEquals(24, test.height());
            ImageSet testNative = images.test();
            assertEquals(16, testNative.height());
            float[][] decoded = pred.probabilities(test);
            float[][] fitted = pred.probabilities(testNative);
            for (int i = 0; i < decoded.length; i++) {
                assertArrayEquals(fitted[i], decoded[i], 1e-6f, "test image " + i);
            }
        }
    }

    @Test
    void aFineTuneTakesItsInputSizeFromTheBaseAndChecksItBeforeTheData() throws Exception {
        Path data = stripes();
        Path base = dir.resolve("base24");
        ModelSpec spec = new ModelSpec("cnn", 0, 1, List.of(8, 16), 3, "max", List.of(16), Activations.Kind.RELU,
                Norms.Kind.BATCH, 0, 0, 3, 24, 24, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            Normalization n = new Normalization(new float[] {0.1f, 0.1f, 0.1f}, new float[] {0.2f, 0.2f, 0.2f});
            ModelBundle.write(base, Networks.create(spec, m, 1), new ModelBundle.Info(Networks.Spec.of(spec),
                    List.of("a", "b"), Preprocessing.of(24, 24, n), java.util.Map.of()));
        }
        // no data.size: the base's 24 px agree with the spec, so the config resolves and the run fine-tunes at 24
        RunConfig c = config(data, "finetune.base=" + base, "finetune.recipe=full", "finetune.lr=0.01",
                "augment.train=resizedcrop(24,scale=(0.5,1))");
        try (NDManager m = NDManager.newBaseManager()) {
            FinetuneWorkflow.Result r = FinetuneWorkflow.fit(c.resolve(), RunDir.create(dir.resolve("runs"), "ft"), m,
                    Reporter.silent(), null);
            assertEquals(24, ModelBundle.load(r.bundle(), m).info().preprocessing().height());
        }
        // a disagreeing size, and a base without one, are refused before the (missing) data is read
        Path missing = dir.resolve("no-such-data");
        try (NDManager m = NDManager.newBaseManager()) {
            TuneupException other = assertThrows(TuneupException.class, () -> FinetuneWorkflow.fit(config(missing,
                    "finetune.base=" + base, "augment.train=resizedcrop(20)").resolve(),
                    RunDir.create(dir.resolve("runs"), "ft2"), m, Reporter.silent(), null));
            assertTrue(other.getMessage().contains("trains at 20x20, but the base's input size is 24x24"),
                    other.getMessage());
            Path pt = Path.of(EvalPipelineTest.class.getResource("/torchscript/tiny_headless.pt").toURI());
            TuneupException none = assertThrows(TuneupException.class, () -> FinetuneWorkflow.fit(config(missing,
                    "finetune.base=" + pt, "augment.train=resizedcrop(20)").resolve(),
                    RunDir.create(dir.resolve("runs"), "ft3"), m, Reporter.silent(), null));
            assertTrue(none.getMessage().contains("neither data.size nor the base") && none.fix().contains(
                    "data.size: 20"), none.getMessage());
        }
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            best = row[j] > row[best] ? j : best;
        }
        return best;
    }
}
