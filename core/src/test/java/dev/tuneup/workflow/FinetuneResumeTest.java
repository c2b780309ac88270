package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import dev.tuneup.track.AtomicFolder;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.FitListener;
import dev.tuneup.train.StopReason;
import dev.tuneup.train.TrainingSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fine-tune stopped in its second phase (in-process, as SIGTERM stops one) and resumed ends with the
 * same weights, byte for byte, as one that ran straight through; and configured schedules reach the phases.
 */
class FinetuneResumeTest {
    @TempDir
    Path dir;

    /** 3 classes of 16x16 RGB: a bright stripe at a class-specific height, with noise; 20 train, 6 test each. */
    private Path stripes() throws IOException {
        return stripes(dir);
    }

    /** The stripes under {@code dir}/stripes. */
    static Path stripes(Path dir) throws IOException {
        return Stripes.write(dir, 7);
    }

    /** A tiny CNN bundle with dropout before its head (so the dropout RNG must resume exactly too). */
    private Path base() {
        return base(dir);
    }

    /** The base bundle at {@code dir}/base. */
    static Path base(Path dir) {
        ModelSpec spec = new ModelSpec("cnn", 0, 1, List.of(6, 8), 3, "max", List.of(12), Activations.Kind.RELU,
                Norms.Kind.BATCH, 0.2, 0, 3, 16, 16, 2);
        Path base = dir.resolve("base");
        try (NDManager m = NDManager.newBaseManager()) {
            Normalization n = new Normalization(new float[] {0.1f, 0.1f, 0.1f}, new float[] {0.2f, 0.2f, 0.2f});
            ModelBundle.write(base, Networks.create(spec, m, 1), new ModelBundle.Info(Networks.Spec.of(spec),
                    List.of("a", "b"), Preprocessing.of(16, 16, n), Map.of()));
        }
        return base;
    }

    private ResolvedRun config(Path data, Path base, String... more) {
        List<String> sets = new ArrayList<>(List.of("data.name=" + data, "data.val_fraction=0.25",
                "training.batch_size=8", "training.workers=1", "training.seed=5", "output.dir=" + dir.resolve("runs"),
                "finetune.base=" + base, "finetune.recipe=fine_tune", "finetune.freeze_epochs=1", "training.epochs=3",
                "augment.train=hflip", "optimizer.name=adamw"));
        sets.addAll(List.of(more));
        return ConfigLoader.load(null, sets).resolve();
    }

    private static FinetuneWorkflow.Result run(ResolvedRun run, RunDir into, FinetunePhases.Control control) {
        try (SigtermStop sigterm = SigtermStop.install(into)) {
            return FinetuneWorkflow.tuned(run, into, Reporter.silent(), null, control, sigterm);
        }
    }

    private static String weights(Path bundle) throws IOException {
        return AtomicFolder.sha256(Files.readAllBytes(bundle.resolve(ModelBundle.WEIGHTS)));
    }

    /** Stops phase {@code phase} after its step {@code step}, as SIGTERM would (a checkpoint is written). */
    private static FinetunePhases.Control stopIn(int phase, long step) {
        return new FinetunePhases.Control(false, false, (k, s) -> new FitListener() {
            @Override
            public void onBatchEnd(BatchEnd b) {
                if (k == phase && b.step() == step) {
                    s.requestStop("test stop in phase " + phase + " at step " + step);
                }
            }
        });
    }

    @Test
    void stoppedInPhaseTwoAndResumedGivesTheSameWeightsAsOneRun() throws IOException {
        Path data = stripes();
        Path base = base();
        ResolvedRun cfg = config(data, base); // lr 0: the LR finder picks it, and is not run again on resume
        FinetuneWorkflow.Result straight = run(cfg, RunDir.create(dir.resolve("runs"), "straight"),
                FinetunePhases.Control.FRESH);
        assertNotNull(straight.lrFind());
        String want = weights(straight.bundle());

        RunDir stopped = RunDir.create(dir.resolve("runs"), "stopped");
        FinetuneWorkflow.Result half = run(cfg, stopped, stopIn(2, 9)); // phase 2 has 3 epochs of 6 batches: mid-epoch 2
        assertEquals(StopReason.STOPPED, half.fit().reason());
        assertNull(half.bundle(), "a stopped fine-tune is resumed, not bundled");
        assertTrue(Files.isDirectory(stopped.path().resolve("phases/phase-1")), "phase 1's checkpoints");
        FinetuneState state = FinetuneState.read(stopped.path());
        assertEquals(1, state.finished().size(), "phase 1 finished");
        assertEquals("lr_finder", state.lrSource());
        assertEquals(straight.lr(), state.lr(), 0.0);
        assertEquals(2, state.phases().size());

        // a copy stopped the moment phase 2 began, before it wrote anything: phase 1's last checkpoint carries on
        Path early = dir.resolve("runs").resolve("early");
        copy(stopped.path(), early);
        AtomicFolder.deleteTree(early.resolve("checkpoints"));
        Files.deleteIfExists(early.resolve(".lock"));

        List<String> said = new ArrayList<>();
        FinetuneWorkflow.Result resumed = FinetuneWorkflow.resume(RunDir.open(stopped.path()), false, lines(said));
        assertEquals(StopReason.COMPLETED, resumed.fit().reason());
        assertNull(resumed.lrFind(), "the LR comes from finetune.json");
        assertTrue(said.stream().anyMatch(l -> l.contains("phases 1-1 of 2 finished; resuming phase 2")), said.toString());
        assertTrue(said.stream().anyMatch(l -> l.contains("resumed at step 9 of the phase")), said.toString());
        assertEquals(want, weights(resumed.bundle()), "bit-identical to the uninterrupted fine-tune");
        assertEquals(phases(straight), phases(resumed), "metrics: the same epochs of the same phases");
        assertEquals(straight.history().get(3).metrics().valLoss(), resumed.history().get(3).metrics().valLoss(), 0.0);
        assertEquals(4, Files.readAllLines(stopped.path().resolve("metrics.csv")).size() - 1);

        FinetuneWorkflow.Result fromPhaseOne = FinetuneWorkflow.resume(RunDir.open(early), false, Reporter.silent());
        assertEquals(want, weights(fromPhaseOne.bundle()), "continued from where phase 1 ended");
    }

    @Test
    void aPyTorchBaseResumesExactlyToo() throws Exception {
        Path data = stripes();
        Path pt = Path.of(FinetuneResumeTest.class.getResource("/torchscript/tiny_headless.pt").toURI());
        ResolvedRun cfg = config(data, pt, "finetune.lr=0.01"); // BatchNorm statistics live inside the TorchScript module
        String want = weights(run(cfg, RunDir.create(dir.resolve("runs"), "straight"), FinetunePhases.Control.FRESH)
                .bundle());
        RunDir stopped = RunDir.create(dir.resolve("runs"), "stopped");
        assertEquals(StopReason.STOPPED, run(cfg, stopped, stopIn(2, 8)).fit().reason());
        FinetuneWorkflow.Result resumed = FinetuneWorkflow.resume(RunDir.open(stopped.path()), false, Reporter.silent());
        assertEquals(want, weights(resumed.bundle()), "bit-identical, TorchScript backbone included");
        assertTrue(Files.exists(resumed.bundle().resolve("backbone.pt")) || Files.list(resumed.bundle())
                .anyMatch(f -> f.toString().endsWith(".pt")), "the backbone travels in the bundle");
    }

    @Test
    void resumeRefusesAPlanTheConfigNoLongerGivesAndDamagedCheckpoints() throws IOException {
        Path data = stripes();
        ResolvedRun cfg = config(data, base(), "finetune.lr=0.01");
        RunDir stopped = RunDir.create(dir.resolve("runs"), "stopped");
        run(cfg, stopped, stopIn(2, 3));
        Path yaml = stopped.path().resolve(RunDir.CONFIG);
        String original = Files.readString(yaml);
        Files.writeString(yaml, original.replace("freeze_epochs: 1", "freeze_epochs: 2"));
        TuneupException changed = assertThrows(TuneupException.class,
                () -> FinetuneWorkflow.resume(RunDir.open(stopped.path()), false, Reporter.silent()));
        assertTrue(changed.getMessage().contains("are not the ones its config.yaml gives now"), changed.getMessage());
        Files.writeString(yaml, original);
        try (var s = Files.list(stopped.path().resolve("checkpoints"))) {
            for (Path ckpt : s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).toList()) {
                Files.write(ckpt.resolve("model.params"), new byte[] {1});
            }
        }
        TuneupException damaged = assertThrows(TuneupException.class,
                () -> FinetuneWorkflow.resume(RunDir.open(stopped.path()), false, Reporter.silent()));
        assertTrue(damaged.getMessage().contains("every checkpoint in"), damaged.getMessage());
        FinetuneWorkflow.Result again = FinetuneWorkflow.resume(RunDir.open(stopped.path()), true, Reporter.silent());
        assertEquals(StopReason.COMPLETED, again.fit().reason(), "--restart runs phase 2 again from phase 1's end");
        FinetuneWorkflow.Result straight = run(cfg, RunDir.create(dir.resolve("runs"), "straight"),
                FinetunePhases.Control.FRESH);
        assertEquals(weights(straight.bundle()), weights(again.bundle()));
    }

    @Test
    void aConfiguredScheduleRunsInEveryPhaseAndPerPhaseListsInTheirOwn() throws IOException {
        Path data = stripes();
        Path base = base();
        FinetuneWorkflow.Result every = run(config(data, base, "schedule=constant(lr=0.004)"),
                RunDir.create(dir.resolve("runs"), "every"), FinetunePhases.Control.FRESH);
        assertNull(every.lrFind(), "the schedule gives the LR: no LR finder");
        assertEquals(List.of(0.004, 0.004, 0.004, 0.004), every.history().stream().map(e -> e.metrics().lr()).toList());

        FinetuneWorkflow.Result scaled = run(config(data, base, "schedule=constant(lr=1)", "finetune.lr=0.01"),
                RunDir.create(dir.resolve("runs"), "scaled"), FinetunePhases.Control.FRESH);
        assertEquals(List.of(0.01, 0.005, 0.005, 0.005), scaled.history().stream().map(e -> e.metrics().lr()).toList(),
                "scaled to the recipe's phase LRs: lr frozen, lr/2 unfrozen");

        FinetuneWorkflow.Result per = run(config(data, base, "finetune.schedules=[\"constant(lr=0.003)\", "
                        + "\"step(lr=0.002,every=6,gamma=0.5)\"]"), RunDir.create(dir.resolve("runs"), "per"),
                FinetunePhases.Control.FRESH);
        assertEquals(List.of(0.003, 0.002, 0.001, 0.0005), per.history().stream().map(e -> e.metrics().lr()).toList(),
                "phase 2's steps count from its own start");

        TuneupException tooLong = assertThrows(TuneupException.class, () -> run(config(data, base,
                "schedule=cosine(lr=0.01,warmup=10)"), RunDir.create(dir.resolve("runs"), "long"),
                FinetunePhases.Control.FRESH));
        assertTrue(tooLong.getMessage().startsWith("config schedule: cosine: warmup=10 is not shorter than the run")
                && tooLong.getMessage().contains("phase 1, frozen backbone, has 6 steps"), tooLong.getMessage());
    }

    @Test
    void aRunStoppedAfterItsPhasesEndedResumesToTheSameBundleEvenAfterAnEarlyStop() throws IOException {
        Path data = stripes();
        ResolvedRun cfg = config(data, base(), "finetune.lr=0.02", "training.epochs=12", "training.patience=1",
                "training.min_delta=0.5"); // no later epoch beats the first by 0.5
        RunDir done = RunDir.create(dir.resolve("runs"), "done");
        FinetuneWorkflow.Result r = run(cfg, done, FinetunePhases.Control.FRESH);
        assertEquals(StopReason.EARLY_STOP, r.fit().reason(), "the fixture stops phase 2 early: " + r.fit());
        String want = weights(r.bundle());
        AtomicFolder.deleteTree(r.bundle()); // as if killed while testing or bundling
        List<String> said = new ArrayList<>();
        FinetuneWorkflow.Result again = FinetuneWorkflow.resume(RunDir.open(done.path()), false, lines(said));
        assertTrue(said.contains("all 2 phases finished; the last one's weights, then test and bundle"), said.toString());
        assertEquals(r.fit(), again.fit(), "no step trained: the same epochs and the same early stop");
        assertEquals(want, weights(again.bundle()));
    }

    @Test
    void resumeTellsTheKindOfRunFromRunJsonOrItsFiles() throws IOException {
        RunDir eval = RunDir.create(dir.resolve("runs"), "eval");
        eval.write(RunDir.CONFIG, ConfigLoader.toYaml(ConfigLoader.load(null, List.of())));
        eval.begin(dev.tuneup.track.RunKind.EVAL, List.of());
        eval.end(dev.tuneup.track.RunStatus.FINISHED, "", Map.of(), List.of());
        TuneupException e = assertThrows(TuneupException.class, () -> ResumeWorkflow.resume(eval.path(), false,
                Reporter.silent()));
        assertEquals(eval.path() + " is a run of tuneup eval; tuneup resume continues train and finetune runs",
                e.getMessage());
        Path data = stripes();
        RunDir stopped = RunDir.create(dir.resolve("runs"), "ft");
        run(config(data, base(), "finetune.lr=0.01"), stopped, stopIn(1, 2));
        ResumeWorkflow.Result r = ResumeWorkflow.resume(stopped.path(), false, Reporter.silent());
        assertEquals(dev.tuneup.track.RunKind.FINETUNE, r.kind(), "no run.json here: finetune.json says it");
        assertNull(r.train());
        assertEquals(StopReason.COMPLETED, r.finetune().fit().reason());
        assertEquals(List.of(1, 2, 2, 2), phases(r.finetune()), "resumed in phase 1, then phase 2");
    }

    private static List<Integer> phases(FinetuneWorkflow.Result r) {
        return r.history().stream().map(FinetuneWorkflow.PhaseEpoch::phase).toList();
    }

    private static Reporter lines(List<String> into) {
        return new Reporter() {
            @Override
            public void line(String text) {
                into.add(text);
            }

            @Override
            public Progress progress(String task, long total, String unit) {
                return Reporter.silent().progress(task, total, unit);
            }
        };
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
