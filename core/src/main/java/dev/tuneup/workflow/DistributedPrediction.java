package dev.tuneup.workflow;

import dev.tuneup.TuneupException;
import dev.tuneup.data.ImageFiles;
import dev.tuneup.evaluate.Corruption;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * An engine that predicts a bundle over many image files on several machines (the {@code spark/} module's
 * Spark jobs). Core names the work; the engine only computes logits, so every metric is computed by the
 * same code as a single-machine run ({@link DistributedEvalWorkflow}). Implementations register with
 * {@link ServiceLoader} ({@code META-INF/services/dev.tuneup.workflow.DistributedPrediction}).
 */
public interface DistributedPrediction {
    /**
     * One pass over the images: clean ({@code corruption} null) or corrupted at {@code severity}, each
     * image {@code i} corrupted by {@link dev.tuneup.evaluate.Corruptions#rng} with index {@code i}.
     */
    record Variant(Corruption corruption, int severity) {
        /** "clean" or "gaussian_noise:3": the variant column of the predictions. */
        public String id() {
            return corruption == null ? "clean" : corruption.id() + ":" + severity;
        }
    }

    /**
     * @param bundle      the bundle folder (read by the driver, shipped to the workers)
     * @param files       the images, labels in the bundle's class ids, in the order a single-machine load gives
     * @param variants    passes to make; the clean one first when present
     * @param seed        the corruption seed
     * @param master      where to run: a Spark master URL, or null for the engine's default (embedded local mode,
     *                    or the master spark-submit gave)
     * @param predictions folder to write the predictions table into (must not exist)
     * @param format      "parquet" or "csv"
     */
    record Job(Path bundle, List<ImageFiles.File> files, List<Variant> variants, long seed, String master,
               Path predictions, String format) {
    }

    /**
     * @param logits  per variant of the job, in its order: one row per file, in file order
     * @param seconds wall time of the distributed part
     * @param where   where it ran, e.g. "spark local[2], 2 executor cores"
     */
    record Result(List<float[][]> logits, double seconds, String where) {
    }

    /** Runs the job; every row of every variant is in the predictions table exactly once. */
    Result run(Job job, Reporter out);

    /**
     * The engine on the class path.
     *
     * @throws TuneupException naming how to add it when there is none
     */
    static DistributedPrediction find() {
        return ServiceLoader.load(DistributedPrediction.class).findFirst().orElseThrow(() -> new TuneupException(
                "--spark needs tuneup's Spark module, which is not on the class path",
                "build it once with 'mvn -B -pl cli,spark -am package -DskipTests' (./tuneup then puts"
                        + " spark/target/tuneup-spark.jar and spark/target/lib on the class path), or submit"
                        + " spark/target/tuneup-spark.jar with spark-submit (docs/spark.md)"));
    }
}
