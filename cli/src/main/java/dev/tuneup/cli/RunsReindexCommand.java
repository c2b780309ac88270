package dev.tuneup.cli;

import dev.tuneup.workflow.RunsWorkflow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tuneup runs reindex}: rebuild runs.db from the run folders. */
@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = "Rebuild DIR/runs.db from the run folders under DIR (the folders are the source of truth; a"
                + " damaged runs.db is replaced).")
public final class RunsReindexCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "runs", paramLabel = "DIR",
            description = "The runs folder (default ${DEFAULT-VALUE}).")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int n = RunsWorkflow.reindex(dir);
        spec.commandLine().getOut().println(n + " run" + (n == 1 ? "" : "s") + " indexed -> "
                + dir.resolve(dev.tuneup.track.RunStore.FILE));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
