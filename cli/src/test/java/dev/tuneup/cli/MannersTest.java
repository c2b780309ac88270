package dev.tuneup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.workflow.Reporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a user sees around the results: help on every command, progress fit for logs, --quiet. */
class MannersTest {
    /** Every command and subcommand answers -h and --help with exit 0, and nothing on stderr (no picocli warnings). */
    @Test
    void everyCommandHasHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new TuneupCommand()), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 20, "commands found: " + paths);
        PrintStream realErr = System.err;
        ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream(); // picocli's tracer writes to System.err
        System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
        try {
            for (List<String> p : paths) {
                for (String flag : List.of("-h", "--help")) {
                    List<String> args = new ArrayList<>(p);
                    args.add(flag);
                    CliRun r = CliRun.run(args);
                    assertEquals(0, r.code(), args + ": " + r.err());
                    assertEquals("", r.err(), args + " wrote to stderr");
                    assertTrue(r.out().startsWith("Usage: tuneup"), args + ":\n" + r.out());
                    assertEquals("", picocliWarnings.toString(StandardCharsets.UTF_8), args + " made picocli warn");
                }
            }
        } finally {
            System.setErr(realErr);
        }
    }

    private static void collect(CommandLine c, List<String> path, List<List<String>> out) {
        out.add(path);
        for (Map.Entry<String, CommandLine> e : c.getSubcommands().entrySet()) {
            if (!e.getKey().equals("help") && e.getValue().getCommandName().equals(e.getKey())) {
                List<String> p = new ArrayList<>(path);
                p.add(e.getKey());
                collect(e.getValue(), p, out);
            }
        }
    }

    /** Into a file, progress is a plain line every few seconds, never a carriage-return redraw. */
    @Test
    void progressIntoALogIsPlainLines() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ConsoleReporter r = new ConsoleReporter(new PrintWriter(new StringWriter()), ConsoleReporter.Mode.PLAIN, err);
        try (Reporter.Progress p = r.progress("epoch 1", 100, "img")) {
            for (int i = 0; i < 100; i++) {
                p.step();
            }
        }
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("\r"), "no carriage returns in a log: " + log);
        assertTrue(log.contains("epoch 1") && log.contains("100/100"), log);
        long lines = log.lines().count();
        assertTrue(lines >= 1 && lines <= 3, "a short task prints its start and end, not a redraw per step: " + log);
    }

    @Test
    void quietShowsNoProgressButKeepsTheResultLines() {
        StringWriter out = new StringWriter();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter r = new ConsoleReporter(new PrintWriter(out), ConsoleReporter.Mode.QUIET,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (Reporter.Progress p = r.progress("epoch 1", 10, "img")) {
            p.stepTo(10);
        }
        r.line("accuracy 0.9");
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        assertEquals("accuracy 0.9" + System.lineSeparator(), out.toString());
    }

    /** --quiet is accepted by every command (it is the top-level command's, inherited) and reaches the reporter. */
    @Test
    void quietIsInheritedBySubcommands() {
        CommandLine cli = new CommandLine(new TuneupCommand());
        CommandLine.ParseResult parsed = cli.parseArgs("data", "info", "--data", "x", "--quiet");
        CommandLine info = parsed.subcommand().subcommand().commandSpec().commandLine();
        assertTrue(((TuneupCommand) info.getCommandSpec().root().userObject()).quiet);
    }
}
