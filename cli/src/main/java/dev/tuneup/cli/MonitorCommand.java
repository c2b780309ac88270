package dev.tuneup.cli;

import dev.tuneup.monitor.Drift;
import dev.tuneup.serve.LogReader;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup monitor}: drift of recent traffic against validation, and the feedback so far, from a server's log. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Read a tuneup serve prediction log (safe while the server runs): drift of the recent answers"
                + " against the bundle's validation profile, with a plain verdict, and the users' corrections.")
public final class MonitorCommand implements Callable<Integer> {
    @Option(names = "--db", defaultValue = "feedback.db", paramLabel = "FILE|JDBC-URL",
            description = "The server's --db (default ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--version", paramLabel = "VERSION", description = "Model version (default: the one that answered last).")
    String version;

    @Option(names = "--window", defaultValue = "1000", description = "Recent answers to compare (default ${DEFAULT-VALUE}).")
    int window;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        try (LogReader log = new LogReader(db)) {
            LogReader.Model m = version == null ? log.latest() : log.model(version);
            LogReader.Summary s = log.summary(m, window);
            o.println("model " + m.version() + " (" + m.bundle() + ")");
            o.println(s.predictions() + " predictions, " + s.feedback() + " with feedback (" + s.feedbackAgreeing()
                    + " confirming the prediction)");
            Drift.Report d = s.drift();
            if (d == null) {
                o.println("drift: the bundle has no validation profile; train or fine-tune it with this tuneup");
            } else {
                o.println(String.format(Locale.ROOT, "drift over the last %d answers: class PSI %.3f, confidence PSI %.3f,"
                                + " KS %.3f (p %.3g), mean confidence %.3f (validation %.3f)", d.n(), d.classPsi(),
                        d.confidencePsi(), d.ks(), d.ksPValue(), d.meanConfidence(), d.referenceMeanConfidence()));
                o.println(d.verdict());
            }
            if (!s.corrections().isEmpty()) {
                o.println("most frequent corrections (predicted -> correct):");
                s.corrections().entrySet().stream().limit(10)
                        .forEach(e -> o.println("  " + e.getKey() + "  " + e.getValue()));
                if (s.corrections().size() > 10) {
                    o.println("  ... and " + (s.corrections().size() - 10) + " more pairs");
                }
                java.nio.file.Path config = java.nio.file.Path.of(m.bundle()).resolveSibling("config.yaml");
                o.println("repair with: tuneup repair --model " + m.bundle() + " --strategy feedback --db " + db
                        + " --config " + (java.nio.file.Files.isRegularFile(config) ? config : "<the run's config>"));
            }
        }
        return 0;
    }
}
