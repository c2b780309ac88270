package dev.tuneup.cli;

import dev.tuneup.workflow.Reporter;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Lines to the command's stdout; progress bars (rate and ETA) on stderr, so stdout stays clean for results. */
final class ConsoleReporter implements Reporter {
    private final PrintWriter out;

    ConsoleReporter(PrintWriter out) {
        this.out = out;
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
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, 1).showSpeed().setUpdateIntervalMillis(250).continuousUpdate()
                .setMaxRenderedLength(100).build();
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
