package dev.tuneup.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.model.Networks;
import dev.tuneup.track.RunDir;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a run folder's checkpoint into a model bundle, without the run's data. */
public final class RunExport {
    /** The file a run folder keeps its network, classes and preprocessing in, for export. */
    public static final String INFO = "bundle-info.json";

    private RunExport() {
    }

    /** Which checkpoint: the best by the run's monitor, or the newest. */
    public enum Which {
        BEST, LAST
    }

    /** Writes the bundle of {@code run}'s best or newest intact checkpoint to {@code target}; returns the step used. */
    public static long export(Path run, Which which, Path target, List<String> warnings) {
        RunDir.open(run);
        Path infoFile = run.resolve(INFO);
        if (!Files.isRegularFile(infoFile)) {
            throw new TuneupException(run + " has no " + INFO, "export runs made by this version of tuneup");
        }
        ModelBundle.Info info = ModelBundle.readInfo(infoFile);
        Checkpoints ckpts = new Checkpoints(run.resolve("checkpoints"), 1);
        Checkpoints.Loaded latest = ckpts.loadLatest();
        if (latest == null) {
            throw new TuneupException(run + " has no intact checkpoint", "train (or resume) the run until an epoch ends");
        }
        warnings.addAll(latest.warnings());
        Checkpoints.Loaded chosen = latest;
        if (which == Which.BEST) {
            long best = bestStep(latest);
            if (best >= 0 && best != latest.step()) {
                try {
                    chosen = ckpts.load(run.resolve("checkpoints").resolve(Checkpoints.name(best)), new ArrayList<>());
                } catch (IOException | IllegalStateException e) {
                    warnings.add("the best checkpoint (step " + best + ") is damaged (" + e.getMessage()
                            + "); exporting the newest, step " + latest.step());
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = Networks.build(info.network(), manager, Map.of());
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(chosen.files().get("model.params")))) {
                model.loadParameters(manager, in);
            } catch (IOException | ai.djl.MalformedModelException e) {
                throw new TuneupException("checkpoint " + chosen.folder() + " does not fit the run's network: "
                        + e.getMessage(), "export from the run folder the checkpoint belongs to", e);
            }
            Map<String, Object> prov = new LinkedHashMap<>(info.provenance());
            prov.put("exported_from", run.toAbsolutePath().toString());
            prov.put("checkpoint_step", chosen.step());
            ModelBundle.write(target, model, new ModelBundle.Info(info.network(), info.classes(), info.preprocessing(), prov));
        }
        return chosen.step();
    }

    private static long bestStep(Checkpoints.Loaded l) {
        try {
            return new ObjectMapper().readTree(l.files().get("position.json")).path("bestStep").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }
}
