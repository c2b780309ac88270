package dev.tuneup.spark;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tuneup.workflow.DistributedFolds;
import dev.tuneup.workflow.DistributedPrediction;
import dev.tuneup.workflow.DistributedTrials;
import org.junit.jupiter.api.Test;

/** The CLI finds this module's engines through ServiceLoader, as it does when the jar is on its class path. */
class ServicesTest {
    @Test
    void everyEngineIsRegistered() {
        assertInstanceOf(SparkPrediction.class, DistributedPrediction.find());
        assertInstanceOf(SparkFolds.class, DistributedFolds.find());
        assertInstanceOf(SparkTrials.class, DistributedTrials.find());
    }
}
