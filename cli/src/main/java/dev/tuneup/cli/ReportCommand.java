package dev.tuneup.cli;

import dev.tuneup.workflow.ReportWorkflow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tuneup report}: one self-contained HTML page for a folder tuneup wrote. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML report (no network, pictures inline) of a train or finetune run,"
                + " eval, analyze, label-issues, repair, tune study or quickstart folder: curves, confusion matrix,"
                + " reliability diagram, corruptions, galleries, the gate's verdict, lineage, config and provenance"
                + " (docs/reports.md).")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FOLDER", description = "The folder (or a study's study.db); its kind is told by its files.")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE.html", description = "Where to write the report (default"
            + " FOLDER/report.html).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ReportWorkflow.Result r = ReportWorkflow.run(new ReportWorkflow.Request(dir, out));
        spec.commandLine().getOut().println(r.kind().id() + " report: " + r.file());
        return 0;
    }
}
