package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tuneup.TuneupException;
import dev.tuneup.evaluate.EvalRun.CorruptionResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepairAimTest {
    private static final List<CorruptionResult> MEASURED = List.of(
            new CorruptionResult("fog", 1, 0.9, 0, 0), new CorruptionResult("fog", 5, 0.3, 0, 0), // mean 0.6
            new CorruptionResult("rotate", 1, 0.5, 0, 0), new CorruptionResult("rotate", 5, 0.5, 0, 0), // 0.5
            new CorruptionResult("invert", 1, 0.7, 0, 0)); // 0.7 (one severity only)

    @Test
    void aimsAtTheWeakestByMeanOverSeverities() {
        assertEquals(List.of("rotate", "fog"), new RepairWorkflow.Aim(2, 0.5, 0).targets(MEASURED));
        assertEquals(List.of("rotate"), new RepairWorkflow.Aim(1, 0.5, 0).targets(MEASURED));
    }

    @Test
    void theDefaultAimsAtEveryCorruptionWeakestFirst() {
        RepairWorkflow.Aim aim = RepairWorkflow.Aim.defaults();
        assertEquals(RepairWorkflow.Aim.ALL, aim.weakest());
        assertEquals(RepairWorkflow.DEFAULT_REPLAY, aim.replay());
        assertEquals(List.of("rotate", "fog", "invert"), aim.targets(MEASURED));
    }

    @Test
    void refusesANegativeCountAndJsdWithReplay() {
        assertThrows(TuneupException.class, () -> new RepairWorkflow.Aim(-1, 0.5, 0));
        assertThrows(TuneupException.class, () -> new RepairWorkflow.Aim(0, 0.5, 12));
    }
}
