package dev.tuneup.spark;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.TuneupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The bundle as an executor JVM holds it: written once from the broadcast bytes into a temporary
 * folder, loaded and verified once, one {@link Predictor} shared by every task of the JVM. Forward
 * passes take turns ({@link #logits}): tasks running at once decode and corrupt in parallel while
 * libtorch's own threads serve one batch at a time, so the cores are not oversubscribed.
 */
final class ExecutorBundle {
    private static final Map<String, ExecutorBundle> LOADED = new HashMap<>();

    final ModelBundle.Info info;
    private final Predictor predictor;

    private ExecutorBundle(ModelBundle.Loaded loaded, NDManager manager) {
        this.info = loaded.info();
        this.predictor = new Predictor(loaded, manager, dev.tuneup.evaluate.EvalRun.BATCH);
    }

    /** The bundle of {@code digest}, loaded from {@code files} (name to bytes) on first use in this JVM. */
    static synchronized ExecutorBundle get(String digest, Map<String, byte[]> files) {
        ExecutorBundle b = LOADED.get(digest);
        if (b == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("tuneup-bundle-");
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    Path target = dir.resolve(f.getKey());
                    Files.createDirectories(target.getParent());
                    Files.write(target, f.getValue());
                }
            } catch (IOException e) {
                throw new TuneupException("cannot write the shipped bundle to this executor's temporary folder: "
                        + e.getMessage(), "give the executors a writable java.io.tmpdir with a few MB free", e);
            }
            NDManager manager = NDManager.newBaseManager(); // lives as long as the executor
            b = new ExecutorBundle(ModelBundle.load(dir, manager), manager);
            LOADED.put(digest, b);
            deleteOnExit(dir, files);
        }
        return b;
    }

    /** Logits of {@code images}, one forward pass of this JVM at a time. */
    float[][] logits(dev.tuneup.data.ImageSet images) {
        synchronized (predictor) {
            return predictor.logits(images);
        }
    }

    private static void deleteOnExit(Path dir, Map<String, byte[]> files) {
        dir.toFile().deleteOnExit(); // registered first, so deleted last
        files.keySet().forEach(f -> dir.resolve(f).toFile().deleteOnExit());
    }
}
