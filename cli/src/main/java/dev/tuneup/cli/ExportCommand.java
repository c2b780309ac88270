package dev.tuneup.cli;

import dev.tuneup.train.RunExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tuneup export}: a run folder's checkpoint as a model bundle. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a model bundle (docs/bundle.md) from a run folder's best or newest intact checkpoint.")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run folder.")
    Path run;

    @Option(names = "--to", paramLabel = "DIR", description = "Bundle folder to create (default RUN/export-<which>-<time>).")
    Path out;

    @Option(names = "--checkpoint", defaultValue = "best", description = "best or last (default ${DEFAULT-VALUE}).")
    String which;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RunExport.Which w;
        try {
            w = RunExport.Which.valueOf(which.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--checkpoint must be best or last, not "
                    + which);
        }
        List<String> warnings = new ArrayList<>();
        Path target = out != null ? out : run.resolve("export-" + which + "-" + System.currentTimeMillis());
        long step = RunExport.export(run, w, target, warnings);
        PrintWriter o = spec.commandLine().getOut();
        warnings.forEach(x -> o.println("warning: " + x));
        o.println("bundle of step " + step + " (" + which + ") -> " + target);
        return 0;
    }
}
