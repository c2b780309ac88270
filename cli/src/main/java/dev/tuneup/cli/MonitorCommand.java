package dev.tuneup.cli;

import dev.tuneup.monitor.Drift;
import dev.tuneup.serve.LogReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup monitor}: drift of recent traffic against validation, and the feedback so far, from a server's log. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Read a tuneup serve prediction log (safe while the server runs): drift of the recent answers"
                + " against the bundle's validation profile, with a plain verdict, and the users' corrections.",
        footer = {"", "Exit codes: 0 no drift to act on (or too little traffic to judge), 3 drift at or above --fail-on,"
                + " 1 failure, 2 usage error. For cron and CI: `tuneup monitor --db feedback.db || alert`."})
public final class MonitorCommand implements Callable<Integer> {
    /** Exit code when drift at or above {@code --fail-on} is found. */
    public static final int DRIFT = 3;

    @Option(names = "--db", defaultValue = "feedback.db", paramLabel = "FILE|JDBC-URL",
            description = "The server's --db (default ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--model-version", paramLabel = "VERSION",
            description = "Model version (default: the one that answered last).")
    String version;

    @Option(names = "--window", defaultValue = "1000", description = "Recent answers to compare (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--fail-on", defaultValue = "shift", paramLabel = "moderate|shift|never",
            description = "Exit with code 3 from this drift level on (default ${DEFAULT-VALUE}).")
    String failOn;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Drift.Level threshold = switch (failOn.toLowerCase(Locale.ROOT)) {
            case "moderate" -> Drift.Level.MODERATE;
            case "shift" -> Drift.Level.SHIFT;
            case "never" -> null;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--fail-on must be moderate, shift or never, not " + failOn);
        };
        PrintWriter o = json.text(spec);
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
                o.println(String.format(Locale.ROOT, "drift over the last %d answers: class PSI %.3f (p %.2g),"
                                + " confidence PSI %.3f (p %.2g), KS %.3f (p %.3g), mean confidence %.3f (validation %.3f)",
                        d.n(), d.classPsi(), d.classPsiPValue(), d.confidencePsi(), d.confidencePsiPValue(), d.ks(),
                        d.ksPValue(), d.meanConfidence(), d.referenceMeanConfidence()));
                o.println(d.verdict());
            }
            if (!s.corrections().isEmpty()) {
                o.println("most frequent corrections (predicted -> correct):");
                s.corrections().entrySet().stream().limit(10)
                        .forEach(e -> o.println("  " + e.getKey() + "  " + e.getValue()));
                if (s.corrections().size() > 10) {
                    o.println("  ... and " + (s.corrections().size() - 10) + " more pairs");
                }
                Path config = Path.of(m.bundle()).resolveSibling("config.yaml");
                o.println("repair with: tuneup repair --model " + m.bundle() + " --strategy feedback --db " + db
                        + " --config " + (Files.isRegularFile(config) ? config : "<the run's config>"));
            }
            o.flush();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model_version", m.version());
            result.put("bundle", m.bundle());
            result.put("predictions", s.predictions());
            result.put("feedback", s.feedback());
            result.put("feedback_agreeing", s.feedbackAgreeing());
            result.put("drift", d);
            result.put("corrections", s.corrections());
            json.write(spec, result);
            boolean act = d != null && threshold != null && d.level().compareTo(threshold) >= 0;
            return act ? DRIFT : 0;
        }
    }
}
