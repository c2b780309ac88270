package dev.tuneup.cli;

import dev.tuneup.track.RunRecord;
import dev.tuneup.track.RunRecordJson;
import dev.tuneup.track.RunText;
import dev.tuneup.workflow.RunsWorkflow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tuneup runs list}: the runs of a runs folder, filtered. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the runs under DIR (default runs), oldest first: id, kind, status, start, headline numbers,"
                + " parent run.")
public final class RunsListCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "runs", paramLabel = "DIR",
            description = "The runs folder (output.dir; default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Keep runs where KEY=VALUE (also !=, >, <);"
            + " KEY is kind, status, id, parent, a metric (val_acc) or a config key (training.lr). Repeatable; quote"
            + " > and < from the shell: --filter 'val_acc>0.9'.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--json", description = "Print the runs as a JSON array on stdout.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<RunRecord> runs = RunsWorkflow.list(dir, filters);
        spec.commandLine().getOut().print(json ? RunRecordJson.writeAll(runs) + "\n" : RunText.list(runs));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
