package dev.tuneup.cli;

import dev.tuneup.workflow.Reporter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Lines to the command's stdout; progress (rate and ETA) on stderr, so stdout stays clean for results. On a
 * terminal the bar redraws in place; into a file or pipe it prints a plain line every {@value #PLAIN_EVERY_MS} ms,
 * so logs stay readable; with {@code --quiet} there is no progress at all.
 */
final class ConsoleReporter implements Reporter {
    static final int PLAIN_EVERY_MS = 5000;

    enum Mode { BAR, PLAIN, QUIET }

    private final PrintWriter out;
    private final Mode mode;
    private final PrintStream err;

    ConsoleReporter(PrintWriter out, Mode mode, PrintStream err) {
        this.out = out;
        this.mode = mode;
        this.err = err;
    }

    /** The reporter of a command: its stdout, {@code --quiet} from the top-level command, stderr as it is. */
    static ConsoleReporter of(CommandSpec spec) {
        return of(spec, spec.commandLine().getOut());
    }

    /** As {@link #of(CommandSpec)}, with the text lines going to {@code text} (stderr while stdout carries JSON). */
    static ConsoleReporter of(CommandSpec spec, PrintWriter text) {
        boolean quiet = spec.root().userObject() instanceof TuneupCommand t && t.quiet;
        return new ConsoleReporter(text, quiet ? Mode.QUIET : stderrIsTerminal() ? Mode.BAR : Mode.PLAIN, System.err);
    }

    /** Whether file descriptor 2 is a terminal (Linux: where /proc/self/fd/2 points); else whether there is a console. */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public void line(String text) {
        out.println(text);
        out.flush();
    }

    @Override
    public void block(String text) {
        out.print(text);
        out.flush();
    }

    @Override
    public Progress progress(String task, long total, String unit) {
        if (mode == Mode.QUIET) {
            return NONE;
        }
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, 1).showSpeed().setMaxRenderedLength(100);
        if (mode == Mode.BAR) {
            b.setUpdateIntervalMillis(250).continuousUpdate();
        } else { // a line only when the count moved, at most one per interval
            String[] last = {""};
            b.setUpdateIntervalMillis(PLAIN_EVERY_MS).setConsumer(new DelegatingProgressBarConsumer(line -> {
                if (!line.equals(last[0])) { // the same state again (a message set, the close) is not news
                    err.println(line);
                    last[0] = line;
                }
            }, 100));
        }
        ProgressBar bar = b.build();
        return new Progress() {
            @Override
            public void stepTo(long done) {
                bar.stepTo(done);
            }

            @Override
            public void step() {
                bar.step();
            }

            @Override
            public void stepBy(long n) {
                bar.stepBy(n);
            }

            @Override
            public void maxHint(long max) {
                bar.maxHint(max);
            }

            @Override
            public void message(String extra) {
                bar.setExtraMessage(extra);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
