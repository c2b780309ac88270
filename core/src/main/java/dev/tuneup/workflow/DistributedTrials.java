package dev.tuneup.workflow;

import dev.tuneup.TuneupException;
import dev.tuneup.tune.TrialLauncher;
import java.util.ServiceLoader;

/**
 * An engine that runs {@code tune}'s trials as tasks on several machines (the {@code spark/} module's):
 * each trial's {@code tuneup train} command runs on an executor, writing into its trial folder, which the
 * study reads as it reads a local trial's (on a cluster the study folder must be shared), so sampling,
 * pruning and the study store stay in the one process that runs {@code tune}. Registered with
 * {@link ServiceLoader} ({@code META-INF/services/dev.tuneup.workflow.DistributedTrials}).
 */
public interface DistributedTrials {
    /** A launcher to pass to {@link TuneWorkflow#run(TuneWorkflow.Request, Reporter, TrialLauncher)}. */
    interface Launcher extends TrialLauncher, AutoCloseable {
        @Override
        void close();
    }

    /** @param master a Spark master URL, or null for the engine's default */
    Launcher open(String master, Reporter say);

    /** The engine on the class path; a {@link TuneupException} naming how to add it when there is none. */
    static DistributedTrials find() {
        return ServiceLoader.load(DistributedTrials.class).findFirst().orElseThrow(() -> new TuneupException(
                "--spark needs tuneup's Spark module, which is not on the class path",
                "build it once with 'mvn -B -pl cli,spark -am package -DskipTests' (./tuneup then puts"
                        + " spark/target/tuneup-spark.jar and spark/target/lib on the class path), or submit"
                        + " spark/target/tuneup-spark.jar with spark-submit (docs/spark.md)"));
    }
}
