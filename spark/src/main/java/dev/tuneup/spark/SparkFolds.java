package dev.tuneup.spark;

import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.track.RunDir;
import dev.tuneup.workflow.CrossFitting;
import dev.tuneup.workflow.DistributedFolds;
import dev.tuneup.workflow.Reporter;
import dev.tuneup.workflow.Sessions;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code label-issues --spark}: each cross-fitting fold a Spark task ({@link FoldTask}), one fold per
 * partition, so a cluster trains up to one fold per executor at once; the folds' probabilities come back to
 * the driver, where the rest of label-issues runs as it does in one process.
 */
public final class SparkFolds implements DistributedFolds {
    @Override
    public float[][] outOfSample(ResolvedRun run, Sessions.Images images, int k, RunDir dir, String master,
                                 Reporter say) {
        try (SparkSessions.Opened s = SparkSessions.open(master)) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(s.spark().sparkContext());
            say.line("cross-fitting: " + k + " folds as Spark tasks on " + sc.master());
            FoldTask task = new FoldTask(ConfigLoader.toYaml(run.config()), images.train().labels(),
                    FoldTask.digest(images.train()), k, dir.path().toAbsolutePath().toString());
            List<CrossFitting.Fold> folds = sc.parallelize(IntStream.range(0, k).boxed().toList(), k).map(task)
                    .collect();
            float[][] out = new float[images.train().size()][];
            for (int f = 0; f < folds.size(); f++) {
                CrossFitting.place(folds.get(f), out);
                say.line("fold " + (f + 1) + "/" + k + ": predicted " + folds.get(f).held().length
                        + " held-out images (its run folder: <time>-fold-" + (f + 1) + " in " + dir.path() + ")");
            }
            return out;
        }
    }
}
