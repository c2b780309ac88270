package dev.tuneup.cli;

import dev.tuneup.track.RunRecord;
import dev.tuneup.track.RunRecordJson;
import dev.tuneup.track.RunText;
import dev.tuneup.workflow.RunsWorkflow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tuneup runs show}: one run in full. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one run: status, lineage, final metrics, config and files.")
public final class RunsShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id, folder name, folder path, or a part of its"
            + " id only it has.")
    String run;

    @Option(names = "--dir", defaultValue = "runs", paramLabel = "DIR",
            description = "The runs folder (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--json", description = "Print the run as JSON on stdout.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RunRecord r = RunsWorkflow.show(dir, run);
        spec.commandLine().getOut().print(json ? RunRecordJson.tree(r).toPrettyString() + "\n" : RunText.show(r, RunsWorkflow.defaults()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
