package dev.tuneup.spark;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.workflow.CrossFitting;
import dev.tuneup.workflow.Reporter;
import dev.tuneup.workflow.Sessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function;

/**
 * One cross-fitting fold as a Spark task: the run's config rebuilt from its YAML, its data loaded once
 * per executor JVM, the training labels the driver sent put in place, then {@link CrossFitting#fold}.
 * DJL allows one gradient collector per JVM, so the folds of one executor train one at a time.
 */
final class FoldTask implements Function<Integer, CrossFitting.Fold> {
    private static final long serialVersionUID = 1L;
    private static final Object TRAINING = new Object();
    private static final Map<String, Sessions.Images> LOADED = new HashMap<>();

    private final String yaml;
    private final int[] labels;
    private final String sourcesDigest;
    private final int k;
    private final String parent;

    FoldTask(String yaml, int[] labels, String sourcesDigest, int k, String parent) {
        this.yaml = yaml;
        this.labels = labels;
        this.sourcesDigest = sourcesDigest;
        this.k = k;
        this.parent = parent;
    }

    @Override
    public CrossFitting.Fold call(Integer f) throws IOException {
        synchronized (TRAINING) {
            TaskThreads.noGrad();
            Path file = Files.createTempFile("tuneup-fold-", ".yaml");
            try {
                Files.writeString(file, yaml, StandardCharsets.UTF_8);
                ResolvedRun run = ConfigLoader.load(file, List.of()).resolve();
                Sessions.Images images = images(run);
                try (NDManager m = NDManager.newBaseManager()) {
                    return CrossFitting.fold(run, images, k, f, Path.of(parent), m, Reporter.silent());
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private Sessions.Images images(ResolvedRun run) {
        Sessions.Images loaded = LOADED.computeIfAbsent(yaml, y -> Sessions.images(run, LoadOptions.defaults(),
                Reporter.silent()));
        ImageSet train = loaded.train();
        if (train.size() != labels.length || !sourcesDigest.equals(digest(train))) {
            throw new TuneupException("this executor loaded other training images (" + train.size() + ") than the"
                    + " driver (" + labels.length + ") for " + run.data().name(), "give every machine the same data"
                    + " at the same path");
        }
        return loaded.with(train.withLabels(labels, train.classes()), loaded.val(), null);
    }

    /** A digest of the training images' sources, in order: the same data on driver and executor. */
    static String digest(ImageSet set) {
        String[] s = new String[set.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = set.source(i);
        }
        return Integer.toHexString(Arrays.hashCode(s)) + ":" + s.length;
    }
}
