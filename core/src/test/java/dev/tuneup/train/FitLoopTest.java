package dev.tuneup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.initializer.XavierInitializer;
import dev.tuneup.TuneupException;
import dev.tuneup.augment.AugmentSpec;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.data.ImageSet;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.model.Activations;
import dev.tuneup.model.Finite;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Models;
import dev.tuneup.model.Norms;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitLoopTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    /** 3 classes of 8x8 gray images: a bright bar at rows 0-2, 3-5 or 6-7, plus noise. */
    static ImageSet bars(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[][] px = new byte[n][64];
        int[] lb = new int[n];
        String[] src = new String[n];
        for (int i = 0; i < n; i++) {
            lb[i] = i % 3;
            for (int k = 0; k < 64; k++) {
                int row = k / 8;
                boolean bar = row / 3 == lb[i] || (lb[i] == 2 && row >= 6);
                px[i][k] = (byte) Math.min(255, (bar ? 150 : 40) + rng.nextInt(60));
            }
            src[i] = "bar" + i;
        }
        return new ImageSet(8, 8, 1, List.of("top", "middle", "bottom"), px, lb, src);
    }

    static final ModelSpec TINY = new ModelSpec("cnn", 0, 1, List.of(8), 3, "max", List.of(16), Activations.Kind.RELU,
            Norms.Kind.BATCH, 0.3, 0.1, 1, 8, 8, 3);

    /** A session on the bar data set: SGD with momentum, cosine LR, augmentation and dropout on. */
    TrainingSession session(NDManager m, Path ckpt, TrainConfig cfg, double lr) {
        return session(m, ckpt, cfg, lr, 3);
    }

    TrainingSession session(NDManager m, Path ckpt, TrainConfig cfg, double lr, int keep) {
        Block model = Models.build(TINY);
        ai.djl.engine.Engine.getInstance().setRandomSeed(1);
        model.setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
        model.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8, 8));
        BatchLoader train = BatchLoader.builder(bars(90, 1)).batchSize(16).seed(cfg.seed()).workers(1)
                .transform(AugmentSpec.parse("crop(8,pad=1) | hflip").pipeline()).build();
        BatchLoader val = BatchLoader.builder(bars(30, 2)).batchSize(16).shuffle(false).workers(0).build();
        return new TrainingSession(model, m, Optimizers.sgd(0.9, false, false), Schedule.cosine(lr, 0), 1e-4,
                name -> false, train, val, cfg, new Checkpoints(ckpt, keep));
    }

    @Test
    void learnsTheToyTaskInBf16MixedPrecisionAsInFloat32() {
        double[] acc = new double[2];
        for (int k = 0; k < 2; k++) {
            try (NDManager m = NDManager.newBaseManager();
                 TrainingSession s = session(m, dir.resolve("p" + k), TrainConfig.defaults(4, 7), 0.05)) {
                s.withBf16(k == 1);
                FitResult r = new FitLoop(s, List.of()).run();
                assertEquals(StopReason.COMPLETED, r.reason());
                acc[k] = r.history().get(3).valAcc();
                assertTrue(Finite.firstNonFinite(s.model()) == null);
                s.model().getParameters().forEach(p -> assertEquals(DataType.FLOAT32, p.getValue().getArray().getDataType(),
                        p.getKey() + " stays float32"));
            }
        }
        assertTrue(acc[1] > 0.8, "bf16 val acc " + acc[1] + " (float32: " + acc[0] + ")");
        assertEquals(acc[0], acc[1], 0.1, "float32 " + acc[0] + " vs bf16 " + acc[1]);
    }

    @Test
    void learnsTheToyTaskAndRecordsEveryEpoch() {
        try (NDManager m = NDManager.newBaseManager();
             TrainingSession s = session(m, dir.resolve("a"), TrainConfig.defaults(4, 7), 0.05)) {
            List<EpochMetrics> seen = new ArrayList<>();
            FitResult reason = new FitLoop(s, List.of(new FitListener() {
                @Override
                public void onEpochEnd(EpochMetrics e) {
                    seen.add(e);
                }
            })).run();
            assertEquals(StopReason.COMPLETED, reason.reason());
            assertEquals("completed 4 epochs", reason.detail());
            assertEquals(seen, reason.history(), "the result's history is what the listeners saw");
            assertEquals(4, seen.size());
            assertTrue(seen.get(3).trainLoss() < seen.get(0).trainLoss(), seen.toString());
            assertTrue(seen.get(3).valAcc() > 0.8, "val acc " + seen.get(3).valAcc());
            assertEquals(4, s.history().size());
        }
    }

    private static String sha(byte[] b) {
        return Checkpoints.sha256(b);
    }

    /** Stops the run (with a checkpoint) once it reaches {@code step}. */
    private static FitListener stopAt(TrainingSession s, long step) {
        return new FitListener() {
            @Override
            public void onBatchEnd(BatchEnd b) {
                if (b.step() == step) {
                    s.requestStop("test stop at " + step);
                }
            }
        };
    }

    @Test
    void resumingFromAnyStopGivesBitIdenticalWeights() {
        TrainConfig cfg = TrainConfig.defaults(3, 11).withCheckpointEvery(4);
        String uninterrupted;
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, dir.resolve("full"), cfg, 0.05)) {
            new FitLoop(s, List.of()).run();
            uninterrupted = sha(s.modelBytes());
        }
        for (long stop : new long[] {3, 6, 13}) { // mid-epoch, an epoch boundary, mid-epoch after a periodic checkpoint
            Path ckpt = dir.resolve("stop" + stop);
            try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, ckpt, cfg, 0.05)) {
                FitResult reason = new FitLoop(s, List.of(stopAt(s, stop))).run();
                assertEquals(new FitResult(StopReason.STOPPED, "test stop at " + stop, s.history()), reason);
                assertNotEquals(uninterrupted, sha(s.modelBytes()));
            }
            try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, ckpt, cfg, 0.05)) {
                assertNotNull(s.resume(false));
                assertEquals(stop, s.step());
                assertEquals("completed 3 epochs", new FitLoop(s, List.of()).run().detail());
                assertEquals(uninterrupted, sha(s.modelBytes()), "resumed from step " + stop);
                assertEquals(3, s.history().size());
            }
        }
    }

    @Test
    void divergenceStopsWithinOneStepAndNeverCheckpointsIt() {
        TrainConfig cfg = TrainConfig.defaults(2, 3).withCheckpointEvery(1);
        Path ckpt = dir.resolve("nan");
        long[] lastCheckpoint = {-1};
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, ckpt, cfg, 1e30)) {
            FitResult reason = new FitLoop(s, List.of(new FitListener() {
                @Override
                public void onCheckpoint(Path folder, long step) {
                    lastCheckpoint[0] = step;
                }
            })).run();
            assertEquals(StopReason.DIVERGED, reason.reason());
            assertTrue(reason.detail().startsWith("diverged:"), reason.detail());
            assertTrue(lastCheckpoint[0] < s.step() + 1, "checkpoint at " + lastCheckpoint[0] + ", diverged at " + s.step());
            Checkpoints.Loaded l = new Checkpoints(ckpt, 3).loadLatest();
            assertTrue(l == null || l.step() <= s.step());
        }
    }

    @Test
    void keepsTheNewestAndTheTopNByTheMonitoredMetric() throws java.io.IOException {
        Monitor loss = new Monitor("val_loss", Monitor.Mode.MIN, 0);
        TrainConfig cfg = new TrainConfig(5, 9, 0, 0, 0, TrainConfig.Divergence.STOP, loss, 0, false, 0, 1, 2);
        Path ckpt = dir.resolve("topn");
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, ckpt, cfg, 0.3, 1)) {
            new FitLoop(s, List.of()).run();
            int perEpoch = s.train.batchesPerEpoch();
            List<Long> best = new ArrayList<>();
            List<EpochMetrics> h = s.history();
            java.util.stream.IntStream.range(0, h.size()).boxed()
                    .sorted(java.util.Comparator.comparingDouble(i -> h.get(i).valLoss()))
                    .limit(2).forEach(i -> best.add((long) (i + 1) * perEpoch));
            java.util.Set<String> expected = new java.util.TreeSet<>();
            best.forEach(step -> expected.add(Checkpoints.name(step)));
            expected.add(Checkpoints.name(s.step()));
            java.util.Set<String> kept = new java.util.TreeSet<>();
            try (var files = java.nio.file.Files.list(ckpt)) {
                files.forEach(f -> kept.add(f.getFileName().toString()));
            }
            assertEquals(expected, kept, "history " + h);
        }
    }

    @Test
    void skippingDivergedStepsCountsThem() {
        TrainConfig base = TrainConfig.defaults(1, 3);
        TrainConfig cfg = new TrainConfig(1, 3, 0, 0, 0, TrainConfig.Divergence.SKIP, base.monitor(), 0, false, 0, 2, 1);
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, dir.resolve("skip"), cfg, 1e30)) {
            List<EpochMetrics> seen = new ArrayList<>();
            FitResult r = new FitLoop(s, List.of(new FitListener() {
                @Override
                public void onEpochEnd(EpochMetrics e) {
                    seen.add(e);
                }
            })).run();
            assertTrue(s.pos.skipped > 0, "steps with a non-finite loss were skipped");
            // LR 1e30 also overflows the weights in a step whose loss was finite: that ends the run
            assertTrue(r.reason() == StopReason.COMPLETED && seen.get(0).skippedSteps() > 0
                    || r.reason() == StopReason.DIVERGED && r.detail().contains("weights are non-finite"), r.detail());
        }
    }

    @Test
    void earlyStoppingWaitsForPatienceAndRestoresTheBest() {
        Monitor never = new Monitor("val_loss", Monitor.Mode.MIN, 1e9); // only the first epoch counts as better
        TrainConfig cfg = new TrainConfig(6, 5, 0.1, 0, 1.0, TrainConfig.Divergence.STOP, never, 2, true, 0, 2, 1);
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, dir.resolve("early"), cfg, 0.05)) {
            FitResult reason = new FitLoop(s, List.of()).run();
            assertEquals(StopReason.EARLY_STOP, reason.reason());
            assertTrue(reason.detail().startsWith("early stop: val_loss did not improve for 2 epochs"), reason.detail());
            assertEquals(3, s.history().size());
            Checkpoints.Loaded first = null;
            try {
                first = new Checkpoints(dir.resolve("early"), 2).load(dir.resolve("early").resolve(Checkpoints.name(6)),
                        new ArrayList<>());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            assertEquals(sha(first.files().get("model.params")), sha(s.modelBytes()), "best (epoch 1) weights restored");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Monitor("val_accuracy", Monitor.Mode.MAX, 0));
        assertTrue(e.getMessage().contains("known: train_loss, train_acc, val_loss, val_acc, val_top5"));
    }

    @Test
    void aPlateauScheduleFollowsTheMonitorAndResumesExactly() {
        TrainConfig cfg = TrainConfig.defaults(4, 13);
        // mode=min on val_acc with threshold 0.9: only a 90% drop would count, so only the first epoch "improves"
        String spec = "plateau(lr=0.05,factor=0.5,patience=0,mode=min,threshold=0.9)";
        String uninterrupted;
        List<Double> lrs = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager();
             TrainingSession s = session(m, dir.resolve("pf"), cfg, 0.05).withPlateau(Schedules.parsePlateau(spec))) {
            new FitLoop(s, List.of(new FitListener() {
                @Override
                public void onEpochEnd(EpochMetrics e) {
                    lrs.add(e.lr());
                }
            })).run();
            uninterrupted = sha(s.modelBytes());
        }
        assertEquals(List.of(0.05, 0.05, 0.025, 0.0125), lrs, "halved after every epoch but the first");
        Path ckpt = dir.resolve("pr");
        try (NDManager m = NDManager.newBaseManager();
             TrainingSession s = session(m, ckpt, cfg, 0.05).withPlateau(Schedules.parsePlateau(spec))) {
            new FitLoop(s, List.of(stopAt(s, 14))).run();
        }
        try (NDManager m = NDManager.newBaseManager();
             TrainingSession s = session(m, ckpt, cfg, 0.05).withPlateau(Schedules.parsePlateau(spec))) {
            s.resume(false);
            new FitLoop(s, List.of()).run();
            assertEquals(uninterrupted, sha(s.modelBytes()));
        }
    }

    @Test
    void nativeArraysStayFlatOverEpochs() {
        TrainConfig base = TrainConfig.defaults(4, 17);
        TrainConfig cfg = new TrainConfig(4, 17, 0.1, 1e-5, 1.0, TrainConfig.Divergence.STOP, base.monitor(), 0, false, 0, 2, 1);
        List<Integer> counts = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, dir.resolve("flat"), cfg, 0.05)) {
            new FitLoop(s, List.of(new FitListener() {
                @Override
                public void onEpochEnd(EpochMetrics e) {
                    counts.add(m.getManagedArrays().size());
                }
            })).run();
        }
        assertEquals(counts.get(1), counts.get(3), "arrays alive after epochs 2 and 4: " + counts);
    }

    @Test
    void weightsThatOverflowEndTheRunWithoutACheckpointOrABundle() {
        // LR 1e30 with divergence=skip: a step whose loss is finite overflows the weights in its update
        TrainConfig cfg = new TrainConfig(3, 3, 0, 0, 0, TrainConfig.Divergence.SKIP,
                new Monitor("val_acc", Monitor.Mode.MAX, 0), 0, true, 5, 3, 1);
        Path ckpt = dir.resolve("overflow");
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, ckpt, cfg, 1e30)) {
            FitResult r = new FitLoop(s, List.of()).run();
            assertEquals(StopReason.DIVERGED, r.reason(), r.detail());
            assertTrue(r.detail().contains("weights are non-finite"), r.detail());
            for (EpochMetrics e : r.history()) {
                assertTrue(Double.isFinite(e.valLoss()) || e.valAcc() == 0, "a NaN model scored " + e);
            }
            if (Finite.firstNonFinite(s.model()) != null) {
                TuneupException e = assertThrows(TuneupException.class, () -> ModelBundle.write(dir.resolve("b"),
                        s.model(), null));
                assertTrue(e.getMessage().contains("non-finite weights"), e.getMessage());
            }
        }
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, ckpt, cfg, 1e30)) {
            if (s.resume(false) != null) {
                assertNull(Finite.firstNonFinite(s.model()), "a checkpoint holds non-finite weights");
            }
        }
    }
}
