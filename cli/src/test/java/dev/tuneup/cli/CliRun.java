package dev.tuneup.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One {@code tuneup} command line run through the real entry point, with its exit code and captured output. */
record CliRun(int code, String out, String err) {
    static CliRun run(List<String> args) {
        return run(args.toArray(new String[0]));
    }

    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
