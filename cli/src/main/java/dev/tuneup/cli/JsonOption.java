package dev.tuneup.cli;

import dev.tuneup.JsonFiles;
import dev.tuneup.TuneupException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --json}: the command's result as JSON (snake_case keys) on stdout, or with {@code --json FILE} in a file.
 * While JSON goes to stdout the human-readable lines go to stderr, so {@code tuneup ... --json | jq} works.
 */
final class JsonOption {
    @Option(names = "--json", arity = "0..1", fallbackValue = "-", paramLabel = "FILE",
            description = "Print the result as JSON on stdout (text goes to stderr), or with FILE write it there.")
    String target;

    boolean toStdout() {
        return "-".equals(target);
    }

    /** Where the command's text lines go: stdout, or stderr while stdout carries JSON. */
    PrintWriter text(CommandSpec spec) {
        return toStdout() ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    /** Writes {@code value} (a record, map or JSON tree) where {@code --json} says; nothing without it. */
    void write(CommandSpec spec, Object value) {
        if (target == null) {
            return;
        }
        try {
            byte[] json = JsonFiles.MAPPER.writeValueAsBytes(value);
            if (toStdout()) {
                PrintWriter out = spec.commandLine().getOut();
                out.println(new String(json, java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                return;
            }
            Path file = Path.of(target).toAbsolutePath();
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, json);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TuneupException("cannot write JSON to " + target + ": " + e.getMessage(),
                    "choose a writable file, or --json alone for stdout");
        }
    }
}
