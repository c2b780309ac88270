package dev.tuneup.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.initializer.XavierInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.loader.Batch;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.model.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overhead guard: the number of libtorch operators one training step calls, counted by libtorch's own
 * profiler. Every tensor operation tuneup issues per step (zeroing, forward, loss, backward, the norm
 * check, the optimizer, the metrics) is one or more of these native calls, each with its JNI crossing and
 * Java wrapper; on fast kernels they are what a step costs beyond the math (docs/benchmarks.md). The count
 * does not depend on the machine's speed or load, so this cannot fail on a noisy machine, yet a change that
 * adds per-parameter work to the step fails it.
 */
class StepBudgetTest {
    /**
     * Top-level operators per step of {@link FitLoopTest#TINY} (7 parameter tensors with gradients, batch 16):
     * 107 in float32 and 121 in bf16 (8 casts forward, 6 back) when written; 124 in float32 before the gradient
     * norm took one call per parameter instead of four. One more operation per parameter (+7) fails.
     */
    private static final int BUDGET_FP32 = 110;
    private static final int BUDGET_BF16 = 125;

    @TempDir
    Path dir;

    @Test
    void aFloat32StepStaysWithinItsNativeCallBudget() throws IOException {
        check(false, BUDGET_FP32);
    }

    @Test
    void aBf16StepStaysWithinItsNativeCallBudget() throws IOException {
        check(true, BUDGET_BF16);
    }

    private void check(boolean bf16, int budget) throws IOException {
        Map<String, Integer> ops = countStep(bf16);
        int total = ops.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(total > 10, "the profiler saw the step: " + ops);
        assertTrue(total <= budget, (bf16 ? "bf16" : "fp32") + " step calls " + total + " libtorch operators, over its"
                + " budget of " + budget + ": " + ops);
    }

    /** The top-level operators of the third training step, by name. */
    private Map<String, Integer> countStep(boolean bf16) throws IOException {
        Path trace = dir.resolve(bf16 ? "bf16.json" : "fp32.json");
        try (NDManager m = NDManager.newBaseManager(); TrainingSession s = session(m, bf16);
             NDManager batches = NDManager.newBaseManager()) {
            Iterator<Batch> it = s.train.epoch(0, batches);
            for (int step = 0; step < 3; step++) {
                try (Batch b = it.next()) {
                    if (step == 2) {
                        JniUtils.startProfile(false, false, false);
                    }
                    FitLoop.step(s, b, 0.05);
                    if (step == 2) {
                        JniUtils.stopProfile(trace.toString());
                    }
                }
            }
        }
        return topLevel(new ObjectMapper().readTree(trace.toFile()));
    }

    private TrainingSession session(NDManager m, boolean bf16) {
        Block model = Models.build(FitLoopTest.TINY);
        ai.djl.engine.Engine.getInstance().setRandomSeed(1);
        model.setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
        model.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8, 8));
        BatchLoader train = BatchLoader.builder(FitLoopTest.bars(64, 1)).batchSize(16).seed(1).workers(0).build();
        return new TrainingSession(model, m, Optimizers.sgd(0.9, false, false), Schedule.constant(0.05), 1e-4,
                name -> false, train, null, TrainConfig.defaults(1, 1), new Checkpoints(dir.resolve("ckpt"), 1))
                .withBf16(bf16);
    }

    /** Operators not nested in another operator on the same thread, counted by name. */
    static Map<String, Integer> topLevel(JsonNode trace) {
        JsonNode events = trace.isArray() ? trace : trace.get("traceEvents");
        List<JsonNode> ops = new ArrayList<>();
        for (JsonNode e : events) {
            if ("X".equals(e.path("ph").asText()) && e.has("dur")) {
                ops.add(e);
            }
        }
        ops.sort(Comparator.<JsonNode>comparingLong(e -> e.path("tid").asLong())
                .thenComparingDouble(e -> e.get("ts").asDouble())
                .thenComparing(Comparator.<JsonNode>comparingDouble(e -> e.get("dur").asDouble()).reversed()));
        Map<Long, Double> openUntil = new HashMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode e : ops) {
            long tid = e.path("tid").asLong();
            double ts = e.get("ts").asDouble();
            if (ts < openUntil.getOrDefault(tid, Double.NEGATIVE_INFINITY)) {
                continue; // inside an operator already counted
            }
            openUntil.put(tid, ts + e.get("dur").asDouble());
            counts.merge(e.path("name").asText(), 1, Integer::sum);
        }
        return counts;
    }
}
