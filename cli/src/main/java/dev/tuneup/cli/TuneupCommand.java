package dev.tuneup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code tuneup} command; it only lists its subcommands. */
@Command(name = "tuneup", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Fine-tune, stress-test, repair and serve image classifiers on the JVM.",
        subcommands = {QuickstartCommand.class, DataCommand.class, AugmentCommand.class, TrainCommand.class,
                ResumeCommand.class, FinetuneCommand.class, LrFindCommand.class, ExportCommand.class,
                EvalCommand.class, CorruptCommand.class, AnalyzeCommand.class, LabelIssuesCommand.class,
                RepairCommand.class, ServeCommand.class, MonitorCommand.class, TuneCommand.class, RunsCommand.class,
                ReportCommand.class, ModelCommand.class, picocli.CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error, 3 drift found (monitor)."})
public final class TuneupCommand implements Runnable {
    @Option(names = "--stacktrace", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error, not just its cause and fix.")
    boolean stacktrace;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "No progress bars: only results, warnings and errors.")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
