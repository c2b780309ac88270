package dev.tuneup.serve;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.track.AtomicFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded bundle version with its own native memory, shared by the batch workers and counted:
 * a hot swap drops the server's reference, and the model is closed when the last batch using it
 * has finished, so no in-flight request ever runs on a closed model.
 */
final class ServedModel {
    private final ModelBundle.Loaded bundle;
    private final NDManager manager;
    private final Predictor predictor;
    private final String version;
    private final AtomicInteger users = new AtomicInteger(1); // the server's own reference

    private ServedModel(ModelBundle.Loaded bundle, NDManager manager, int maxBatch, String version) {
        this.bundle = bundle;
        this.manager = manager;
        this.predictor = new Predictor(bundle, manager, maxBatch);
        this.version = version;
    }

    /** Loads and verifies the bundle at {@code dir} (symbolic links resolved, so a "current" link can move). */
    static ServedModel load(Path dir, int maxBatch) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new dev.tuneup.TuneupException("model bundle " + dir + " does not exist", "pass the folder that"
                    + " tuneup train, finetune, export or repair wrote");
        }
        NDManager m = NDManager.newBaseManager();
        try {
            ModelBundle.Loaded b = ModelBundle.load(real, m);
            return new ServedModel(b, m, maxBatch, real.getFileName() + "@" + manifestHash(real));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The bundle folder's name and the first 12 hex digits of its manifest's SHA-256. */
    private static String manifestHash(Path dir) {
        try {
            return AtomicFolder.sha256(Files.readAllBytes(dir.resolve(AtomicFolder.MANIFEST))).substring(0, 12);
        } catch (IOException e) {
            throw new IllegalStateException("cannot hash the manifest of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Takes a reference; false when the model is already closed (swapped out and drained). */
    boolean acquire() {
        while (true) {
            int u = users.get();
            if (u == 0) {
                return false;
            }
            if (users.compareAndSet(u, u + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the native memory. */
    void release() {
        if (users.decrementAndGet() == 0) {
            manager.close();
        }
    }

    ModelBundle.Info info() {
        return bundle.info();
    }

    Path dir() {
        return bundle.dir();
    }

    Predictor predictor() {
        return predictor;
    }

    String version() {
        return version;
    }
}
