package dev.tuneup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.initializer.XavierInitializer;
import dev.tuneup.TuneupException;
import dev.tuneup.augment.AugmentSpec;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.model.Models;
import dev.tuneup.report.LrFinderPlot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LrFinderTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("java.awt.headless", "true");
    }

    /** FitLoopTest's session (bar data, tiny CNN, SGD with momentum, augmentation, dropout), with a frozen set. */
    static TrainingSession session(NDManager m, Path ckpt, TrainConfig cfg, Predicate<String> frozen) {
        Block model = Models.build(FitLoopTest.TINY);
        ai.djl.engine.Engine.getInstance().setRandomSeed(1);
        model.setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
        model.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8, 8));
        BatchLoader train = BatchLoader.builder(FitLoopTest.bars(90, 1)).batchSize(16).seed(cfg.seed()).workers(1)
                .transform(AugmentSpec.parse("crop(8,pad=1) | hflip").pipeline()).build();
        BatchLoader val = BatchLoader.builder(FitLoopTest.bars(30, 2)).batchSize(16).shuffle(false).workers(0).build();
        return new TrainingSession(model, m, Optimizers.sgd(0.9, false, false), Schedule.cosine(0.05, 0), 1e-4,
                frozen, train, val, cfg, new Checkpoints(ckpt, 3));
    }

    /** The first parameter of the model (the first conv's weight): frozen in these tests. */
    private static String firstParam() {
        return Models.build(FitLoopTest.TINY).getParameters().get(0).getKey();
    }

    private static String optimizerSha(TrainingSession s) {
        try (NDList state = s.optimizer.exportState()) {
            return Checkpoints.sha256(state.encode());
        }
    }

    private static List<String> files(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> f = Files.walk(folder)) {
            return f.map(Path::toString).sorted().toList();
        }
    }

    @Test
    void sweepStopsOnDivergenceSuggestsInRangeAndRestoresEverything() throws IOException {
        String frozen = firstParam();
        TrainConfig cfg = TrainConfig.defaults(2, 21);
        Path ckpt = dir.resolve("ckpt");
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, ckpt, cfg, frozen::equals)) {
            // Some real training first, so the optimizer has momentum buffers and the position is not zero.
            new FitLoop(s, List.of(new FitListener() {
                @Override
                public void onBatchEnd(BatchEnd b) {
                    if (b.step() == 3) {
                        s.requestStop("test");
                    }
                }
            })).run();
            // requestStop sticks; a fresh session resumes from the checkpoint it wrote.
        }
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, ckpt, cfg, frozen::equals)) {
            assertNotNull(s.resume(false));
            String weights = Checkpoints.sha256(s.modelBytes());
            String optimizer = optimizerSha(s);
            long step = s.step();
            var position = s.pos;
            List<String> before = files(ckpt);
            byte[] frozenBefore = s.model.getParameters().get(frozen).getArray().toByteArray();

            int[] calls = {0};
            LrFinder.Result r = LrFinder.run(s, 1e-5, 1e4, 120, (i, n, lr, loss, sm) -> calls[0]++);

            assertTrue(r.stopReason().startsWith("diverged:"), r.stopReason());
            int k = r.lrs().length;
            assertTrue(k > 20 && k < 120, k + " steps");
            assertEquals(k, calls[0]);
            assertEquals(k, r.losses().length);
            assertEquals(k, r.smoothed().length);
            assertEquals(1e-5, r.lrs()[0], 1e-18);
            assertTrue(r.lrs()[k - 1] < 1e4, "stopped before the end");
            for (int i = 1; i < k; i++) {
                assertTrue(r.lrs()[i] > r.lrs()[i - 1]);
                assertEquals(Math.pow(1e9, 1.0 / 119), r.lrs()[i] / r.lrs()[i - 1], 1e-9, "exponential steps");
            }
            if (r.stopReason().startsWith("diverged: smoothed loss")) {
                assertTrue(r.smoothed()[k - 1] > 4 * java.util.Arrays.stream(r.smoothed()).min().getAsDouble());
            }
            // Bias-corrected EMA: the first smoothed value is the first loss.
            assertEquals(r.losses()[0], r.smoothed()[0], 1e-12);

            double lo = r.lrs()[0];
            double hi = r.lrs()[k - 1];
            for (double lr : new double[] {r.steepest(), r.valley(), r.minOver10() * 10}) {
                assertTrue(lr >= lo && lr <= hi, lr + " outside the sweep " + lo + ".." + hi + ": " + r);
            }
            int argmin = 0;
            for (int i = 1; i < k; i++) {
                argmin = r.smoothed()[i] < r.smoothed()[argmin] ? i : argmin;
            }
            double atMin = r.lrs()[argmin];
            assertTrue(r.minOver10() < atMin, r.toString());
            assertTrue(r.steepest() <= atMin, r + ", minimum at " + atMin);
            assertTrue(r.valley() <= atMin, r + ", minimum at " + atMin);

            assertEquals(weights, Checkpoints.sha256(s.modelBytes()), "weights restored bit-identically");
            assertEquals(optimizer, optimizerSha(s), "optimizer state restored bit-identically");
            assertArrayEquals(frozenBefore, s.model.getParameters().get(frozen).getArray().toByteArray());
            assertEquals(step, s.step());
            assertEquals(position, s.pos, "the run's position object is back untouched");
            assertEquals(before, files(ckpt), "no checkpoint written");
            assertEquals(0, s.history().size());
            assertFalse(s.groups().params().stream().anyMatch(p -> p.name().equals(frozen)), "still frozen");

            Path png = dir.resolve("plots").resolve("lr_find.png");
            LrFinderPlot.write(png, r);
            var im = ImageIO.read(png.toFile());
            assertEquals(dev.tuneup.report.Charts.WIDTH, im.getWidth());
        }
    }

    @Test
    void trainingAfterTheSweepIsBitIdenticalToTrainingWithoutIt() {
        TrainConfig cfg = TrainConfig.defaults(2, 5);
        String plain;
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, dir.resolve("a"), cfg, n -> false)) {
            new FitLoop(s, List.of()).run();
            plain = Checkpoints.sha256(s.modelBytes());
        }
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, dir.resolve("b"), cfg, n -> false)) {
            LrFinder.Result r = LrFinder.run(s, 1e-4, 1, 15);
            assertEquals("completed 15 steps up to LR 1.00", r.stopReason());
            assertEquals(15, r.lrs().length, "cycled past the 6-batch epoch");
            assertEquals(1.0, r.lrs()[14], 1e-12);
            new FitLoop(s, List.of()).run();
            assertEquals(plain, Checkpoints.sha256(s.modelBytes()));
            assertEquals(2, s.history().size());
        }
    }

    @Test
    void anExceptionMidSweepStillRestoresTheSession() {
        try (NDManager m = NDManager.newBaseManager();
             TrainingSession s = session(m, dir.resolve("c"), TrainConfig.defaults(1, 3), n -> false)) {
            String weights = Checkpoints.sha256(s.modelBytes());
            String optimizer = optimizerSha(s);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> LrFinder.run(s, 1e-3, 10, 50,
                    (i, n, lr, loss, sm) -> {
                        if (i == 5) {
                            throw new IllegalStateException("boom");
                        }
                    }));
            assertEquals("boom", e.getMessage());
            assertEquals(weights, Checkpoints.sha256(s.modelBytes()));
            assertEquals(optimizer, optimizerSha(s));
            assertEquals(0, s.step());
            assertNotEquals(0, s.groups().params().size());
        }
    }

    @Test
    void badArgumentsAreClearErrors() {
        try (NDManager m = NDManager.newBaseManager();
             TrainingSession s = session(m, dir.resolve("d"), TrainConfig.defaults(1, 3), n -> false)) {
            assertThrows(TuneupException.class, () -> LrFinder.run(s, 0, 10, 100));
            assertThrows(TuneupException.class, () -> LrFinder.run(s, 1, 0.1, 100));
            assertThrows(TuneupException.class, () -> LrFinder.run(s, 1e-7, 10, 1));
        }
        LrFinder.Result empty = new LrFinder.Result(new double[0], new double[0], new double[0], Double.NaN, Double.NaN,
                Double.NaN, "diverged: loss or gradient norm is NaN at LR 1e-7");
        TuneupException e = assertThrows(TuneupException.class, () -> LrFinderPlot.write(dir.resolve("x.png"), empty));
        assertTrue(e.getMessage().contains("no finite loss"), e.getMessage());
    }

    @Test
    void suggestionsFollowFastaiOnAKnownCurve() {
        // 40 points: flat at 2, falls linearly from index 10 to 30 (steepest between 20 and 21), then rises.
        int n = 40;
        double[] lrs = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            lrs[i] = 1e-6 * Math.pow(10, i / 5.0);
            loss[i] = i < 10 ? 2 : i <= 30 ? 2 - 0.05 * (i - 10) - (i == 21 ? 0.2 : 0) : 1 + 0.1 * (i - 30);
        }
        double[] s = LrFinder.suggest(lrs, loss, 4);
        // window 4..34; steepest slope is 20 -> 21 (the dip)
        assertEquals(lrs[20], s[0], 1e-18);
        // minimum: index 30 (loss 1.0), the dip at 21 is 1.35
        assertEquals(lrs[30] / 10, s[2], 1e-18);
        // longest strictly decreasing subsequence ends at 30: one 2.0, 11..20, 22..30 (skipping the dip) = 20
        // points; start = 30 - 20 = 10, a third of 20 is 6, half of that 3: 10 + 6 + 3 = 19
        assertEquals(lrs[19], s[1], 1e-18);

        double[] one = LrFinder.suggest(new double[] {1e-3}, new double[] {1}, 10);
        assertTrue(Double.isNaN(one[0]) && Double.isNaN(one[1]) && Double.isNaN(one[2]));
        double[] three = LrFinder.suggest(new double[] {1e-3, 1e-2, 1e-1}, new double[] {3, 2, 2.5}, 10);
        assertEquals(1e-3, three[0], 1e-15);
        assertEquals(1e-3, three[2], 1e-15);
    }
}
