package dev.tuneup.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Terminal progress bars (rate and ETA) on stderr, so stdout stays clean for results. */
final class Progress {
    private Progress() {
    }

    /** A bar counting {@code unit}s; {@code total} -1 when unknown. */
    static ProgressBar bar(String task, long total, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, 1).showSpeed().setUpdateIntervalMillis(250).continuousUpdate()
                .setMaxRenderedLength(100).build();
    }
}
