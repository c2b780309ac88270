package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.export.OnnxExport;
import dev.tuneup.train.RunExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tuneup export}: a run folder's checkpoint as a bundle, or a run's checkpoint or a bundle as
 * an ONNX file (dev.tuneup.export.OnnxExport).
 */
public final class ExportWorkflow {
    /** What to write: a tuneup bundle folder or one .onnx file. */
    public enum Format {
        BUNDLE, ONNX
    }

    /**
     * @param source a run folder or (for ONNX) a bundle folder
     * @param target the folder or file to create; null for the default next to the source
     */
    public record Request(Path source, Format format, RunExport.Which which, Path target) {
    }

    /**
     * What was written.
     *
     * @param step  the checkpoint's step, or -1 when the source was a bundle
     * @param nodes the ONNX graph's node count (0 for a bundle)
     */
    public record Result(Path target, Format format, boolean fromBundle, long step, int nodes, long bytes,
                         List<String> warnings) {
    }

    private ExportWorkflow() {
    }

    public static Result run(Request q) {
        boolean isBundle = Files.isRegularFile(q.source().resolve(ModelBundle.MODEL));
        List<String> warnings = new ArrayList<>();
        String which = q.which().name().toLowerCase(java.util.Locale.ROOT);
        if (q.format() == Format.BUNDLE) {
            if (isBundle) {
                throw new TuneupException(q.source() + " is already a bundle", "copy the folder, or export it with"
                        + " --format onnx");
            }
            Path target = q.target() != null ? q.target()
                    : q.source().resolve("export-" + which + "-" + System.currentTimeMillis());
            long step = RunExport.export(q.source(), q.which(), target, warnings);
            return new Result(target, Format.BUNDLE, false, step, 0, size(target), warnings);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = isBundle ? ModelBundle.load(q.source(), manager)
                    : RunExport.load(q.source(), q.which(), manager, warnings);
            Path target = q.target() != null ? q.target() : isBundle
                    ? q.source().toAbsolutePath().resolveSibling(q.source().getFileName() + ".onnx")
                    : q.source().resolve("export-" + which + "-" + System.currentTimeMillis() + ".onnx");
            int nodes = OnnxExport.write(b, target);
            long step = isBundle ? -1 : ((Number) b.info().provenance().get("checkpoint_step")).longValue();
            return new Result(target, Format.ONNX, isBundle, step, nodes, size(target), warnings);
        }
    }

    private static long size(Path p) {
        try (var files = Files.walk(p)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }
}
