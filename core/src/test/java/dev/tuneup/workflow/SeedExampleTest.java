package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.finetune.PhaseSchedules;
import dev.tuneup.finetune.Recipe;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.OptimizerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/seed-example.yaml is the seed's example as written (a pretrained convnet, Adam, lr 0.001
 * constant, batch 32, 10 epochs, CIFAR-10), and the fine-tune it describes runs; every run config in
 * examples/ resolves.
 */
class SeedExampleTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path dir;

    @Test
    void theSeedExampleSaysWhatTheSeedSays() {
        ResolvedRun run = ConfigLoader.load(EXAMPLES.resolve("seed-example.yaml"), List.of()).resolve();
        assertEquals("cifar10", run.data().name());
        assertTrue(run.finetunes(), "a pretrained base");
        assertEquals("bases/seed-base", run.finetune().base());
        assertEquals(Recipe.Kind.FULL, run.finetune().recipe());
        assertEquals(OptimizerSpec.Kind.ADAM, run.optimizer().kind());
        assertEquals(0.0, run.optimizer().weightDecay());
        assertEquals(PhaseSchedules.everyPhase(PhaseSchedules.Lr.of(dev.tuneup.train.Schedule.constant(0.001))),
                run.finetune().schedules());
        assertEquals(0.0, run.finetune().lr(), "the schedule's LR, as written: no LR finder");
        assertEquals(10, run.training().epochs());
        assertEquals(32, run.config().training().batchSize());
        ResolvedRun base = ConfigLoader.load(EXAMPLES.resolve("seed-base.yaml"), List.of()).resolve();
        assertEquals(List.of(0, 1, 2, 3, 4), base.data().classes());
        assertTrue(!base.finetunes());
    }

    @Test
    void theSeedExampleFineTunesAsWrittenOnTinyStandIns() throws IOException {
        Path data = FinetuneResumeTest.stripes(dir);
        Path base = FinetuneResumeTest.base(dir);
        // the example's own file; only the data, the base and the length stand in for CIFAR-10 and 10 epochs
        ResolvedRun run = ConfigLoader.load(EXAMPLES.resolve("seed-example.yaml"), List.of("data.name=" + data,
                "finetune.base=" + base, "training.epochs=2", "training.workers=1", "output.dir=" + dir)).resolve();
        FinetuneWorkflow.Result r;
        try (NDManager m = NDManager.newBaseManager()) {
            r = FinetuneWorkflow.fit(run, RunDir.create(dir, "seed"), m, Reporter.silent(), null);
        }
        assertNull(r.lrFind());
        assertEquals(List.of(1, 1), r.history().stream().map(FinetuneWorkflow.PhaseEpoch::phase).toList(), "one phase");
        assertEquals(List.of(0.001, 0.001), r.history().stream().map(e -> e.metrics().lr()).toList());
        assertTrue(Files.exists(r.bundle().resolve("weights.params")));
    }

    @Test
    void everyRunConfigInExamplesResolves() throws IOException {
        List<Path> configs;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            configs = s.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().startsWith("space-"))
                    .sorted().toList();
        }
        assertTrue(configs.size() >= 6, configs.toString());
        for (Path c : configs) {
            ConfigLoader.load(c, List.of()).resolve(); // throws naming the key
        }
    }
}
