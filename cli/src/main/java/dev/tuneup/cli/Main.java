package dev.tuneup.cli;

import dev.tuneup.TuneupException;
import dev.tuneup.config.ConfigException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Entry point: offline DJL, picocli wiring, and the one place errors become exit codes: 0 ok, 1 failure,
 * 2 usage (a bad option, or a config that cannot run).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // DJL probes for CUDA and warns that it found none: this build is CPU-only, so that is expected.
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda",
                System.getProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda", "error"));
        // With the Spark module: Hadoop's file code warns on every run that it has no native library (it needs none).
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader",
                System.getProperty("org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader", "error"));
        boolean trace = Arrays.asList(args).contains("--stacktrace");
        CommandLine cli = new CommandLine(new TuneupCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionStrategy(parsed -> {
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help; // --help and --version need no engine
            }
            String logs = NativeLogs.apply();
            if (trace) {
                err.println(logs);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            int code = e instanceof ConfigException ? 2 : 1; // a config that cannot run is a usage error
            if (e instanceof TuneupException t) {
                err.println("error: " + t.getMessage());
                if (!t.fix().isEmpty()) {
                    err.println("fix: " + t.fix());
                }
            } else {
                err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
                err.println("fix: this is a tuneup bug; rerun with --stacktrace and report the trace");
            }
            if (trace) {
                e.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        return cli.execute(args);
    }
}
