package dev.tuneup.workflow;

import dev.tuneup.TuneupException;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.track.RunDir;
import java.util.ServiceLoader;

/**
 * An engine that trains the cross-fitting folds of {@code label-issues} on several machines, one fold
 * per task (the {@code spark/} module's). Each task loads the run's data itself, as
 * {@link Sessions#images(ResolvedRun, dev.tuneup.data.LoadOptions, Reporter)} does, takes the
 * training labels it is given (a run may have changed them), and trains and predicts its fold with
 * {@link CrossFitting#fold}, so the result is what {@link CrossFitting#outOfSample} gives in one process.
 * Registered with {@link ServiceLoader} ({@code META-INF/services/dev.tuneup.workflow.DistributedFolds}).
 */
public interface DistributedFolds {
    /**
     * Probabilities for every image of {@code images.train()}, each from the fold model that did not train
     * on it; fold run folders go under {@code dir}, which every machine must reach at the same path.
     *
     * @param images what the run's config loads, with no test split, its training labels possibly changed
     * @param master a Spark master URL, or null for the engine's default
     */
    float[][] outOfSample(ResolvedRun run, Sessions.Images images, int k, RunDir dir, String master, Reporter say);

    /** The engine on the class path; a {@link TuneupException} naming how to add it when there is none. */
    static DistributedFolds find() {
        return ServiceLoader.load(DistributedFolds.class).findFirst().orElseThrow(() -> new TuneupException(
                "--spark needs tuneup's Spark module, which is not on the class path",
                "build it once with 'mvn -B -pl cli,spark -am package -DskipTests' (./tuneup then puts"
                        + " spark/target/tuneup-spark.jar and spark/target/lib on the class path), or submit"
                        + " spark/target/tuneup-spark.jar with spark-submit (docs/spark.md)"));
    }
}
