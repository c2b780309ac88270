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
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = load(run, which, manager, warnings);
            ModelBundle.write(target, b.model(), b.info());
            return ((Number) b.info().provenance().get("checkpoint_step")).longValue();
        }
    }

    /**
     * The network of {@code run}'s best or newest intact checkpoint, as a bundle in memory. Its
     * temperature and validation profile are those in the run's {@value #INFO}, which the run writes
     * when it starts: temperature 1 and no profile, since calibration fits the run's final weights,
     * not necessarily the checkpoint exported.
     */
    public static ModelBundle.Loaded load(Path run, Which which, NDManager manager, List<String> warnings) {
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
        Map<String, byte[]> extra = new LinkedHashMap<>();
        for (String name : Networks.extraFileNames(info.network())) {
            try {
                extra.put(name, Files.readAllBytes(run.resolve(name)));
            } catch (IOException e) {
                throw new TuneupException("run " + run + " lacks " + name + " (" + e.getMessage() + ")",
                        "use the bundle the run wrote, " + run.resolve("bundle"));
            }
        }
        Block model = Networks.build(info.network(), manager, extra);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(chosen.files().get("model.params")))) {
            model.loadParameters(manager, in);
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new TuneupException("checkpoint " + chosen.folder() + " does not fit the run's network: "
                    + e.getMessage(), "export from the run folder the checkpoint belongs to", e);
        }
        Map<String, Object> prov = new LinkedHashMap<>(info.provenance());
        prov.put("exported_from", run.toAbsolutePath().toString());
        prov.put("checkpoint_step", chosen.step());
        return new ModelBundle.Loaded(run, model, info.withProvenance(prov));
    }

    private static long bestStep(Checkpoints.Loaded l) {
        try {
            com.fasterxml.jackson.databind.JsonNode pos = new ObjectMapper().readTree(l.files().get("position.json"));
            return pos.has("best_step") ? pos.get("best_step").asLong() : pos.path("bestStep").asLong(-1); // older runs: camelCase
        } catch (IOException e) {
            return -1;
        }
    }
}
