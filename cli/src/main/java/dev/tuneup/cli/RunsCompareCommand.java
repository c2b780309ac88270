package dev.tuneup.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneup.track.RunRecordJson;
import dev.tuneup.track.RunText;
import dev.tuneup.workflow.RunsWorkflow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tuneup runs compare}: runs side by side and their validation curves overlaid. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare runs: the config keys that differ, every final metric, and the validation accuracy"
                + " curves overlaid in one PNG.")
public final class RunsCompareCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "RUN", description = "Two or more runs (id, folder name, path or part of"
            + " an id).")
    List<String> runs;

    @Option(names = "--dir", defaultValue = "runs", paramLabel = "DIR",
            description = "The runs folder (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE.png", description = "The curves' PNG (default DIR/compare.png).")
    Path out;

    @Option(names = "--json", description = "Print the comparison as JSON on stdout.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        RunsWorkflow.Comparison c = RunsWorkflow.compare(dir, runs, out != null ? out : dir.resolve("compare.png"));
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            c.runs().forEach(r -> root.withArray("runs").add(RunRecordJson.tree(r)));
            root.set("differing_config", m.valueToTree(c.differing()));
            root.put("curves_png", c.png() == null ? null : c.png().toString());
            w.println(root.toPrettyString());
        } else {
            w.print(RunText.compare(c.runs()));
            c.notes().forEach(n -> w.println("note: " + n));
            if (c.png() != null) {
                w.println("curves -> " + c.png());
            }
        }
        w.flush();
        return 0;
    }
}
