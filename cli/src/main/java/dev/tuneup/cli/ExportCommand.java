package dev.tuneup.cli;

import dev.tuneup.train.RunExport;
import dev.tuneup.workflow.ExportWorkflow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tuneup export}: a run folder's checkpoint as a model bundle, or a run or bundle as ONNX. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a model bundle (docs/bundle.md) from a run folder's best or newest intact checkpoint,"
                + " or, with --format onnx, an ONNX model (docs/export.md) from a run folder or a bundle.")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN|BUNDLE", description = "The run folder (or, for onnx, a bundle folder).")
    Path run;

    @Option(names = "--to", paramLabel = "PATH", description = "Bundle folder or .onnx file to create (default: "
            + "RUN/export-<which>-<time>[.onnx], or BUNDLE.onnx next to a bundle).")
    Path out;

    @Option(names = "--checkpoint", defaultValue = "best", description = "best or last (default ${DEFAULT-VALUE}).")
    String which;

    @Option(names = "--format", defaultValue = "bundle", paramLabel = "bundle|onnx",
            description = "bundle (a tuneup bundle folder) or onnx (one .onnx file, opset 17; default ${DEFAULT-VALUE}).")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RunExport.Which w = parse(RunExport.Which.class, which, "--checkpoint must be best or last");
        ExportWorkflow.Format f = parse(ExportWorkflow.Format.class, format, "--format must be bundle or onnx");
        ExportWorkflow.Result r = ExportWorkflow.run(new ExportWorkflow.Request(run, f, w, out));
        PrintWriter o = spec.commandLine().getOut();
        r.warnings().forEach(x -> o.println("warning: " + x));
        String from = r.fromBundle() ? "bundle " + run : "step " + r.step() + " (" + which + ")";
        if (f == ExportWorkflow.Format.BUNDLE) {
            o.println("bundle of " + from + " -> " + r.target());
        } else {
            o.printf("onnx of %s -> %s (%d nodes, %.1f MB, input float32[batch,C,H,W] normalised;"
                    + " outputs logits, probabilities; classes and preprocessing in the metadata)%n", from, r.target(),
                    r.nodes(), r.bytes() / 1e6);
        }
        return 0;
    }

    private <E extends Enum<E>> E parse(Class<E> type, String value, String message) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), message + ", not " + value);
        }
    }
}
