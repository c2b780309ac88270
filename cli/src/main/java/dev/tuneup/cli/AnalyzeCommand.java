package dev.tuneup.cli;

import dev.tuneup.track.RunDir;
import dev.tuneup.workflow.AnalyzeWorkflow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup analyze}: what a bundle gets wrong on a labelled split, and why. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Top losses (with a picture), most confused class pairs, error rate per class and, from an"
                + " eval.json, the weakest corruptions; into analysis.json and the terminal (docs/repair.md).")
public final class AnalyzeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "The model bundle folder.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DATASET", description = "Data set name or path.")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "Split to analyse (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--eval", paramLabel = "EVAL_JSON", description = "An eval.json of this model, for corruptions.")
    Path eval;

    @Option(names = "--top", defaultValue = "30", description = "Top losses and pairs to keep (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--out", defaultValue = "runs", description = "Folder for the new analysis run folder (default"
            + " ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder to search for named data sets first"
            + " (repeatable).")
    List<Path> dataDirs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (top < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--top must be at least 1");
        }
        AnalyzeWorkflow.run(new AnalyzeWorkflow.Request(model, data, split, eval, top, dataDirs),
                RunDir.create(out, "analyze"), ConsoleReporter.of(spec));
        return 0;
    }
}
