package dev.tuneup.workflow;

import dev.tuneup.track.RunDir;

/**
 * Where a workflow's lines and progress go: the CLI prints lines to stdout and draws progress bars
 * on stderr; a test collects lines; {@link #silent()} drops both. {@link #logTo(RunDir)} also
 * appends every line to a run folder's log.
 */
public interface Reporter {
    /** One finished line of results or narration. */
    void line(String text);

    /** A block of text as it is (a table, a report), its line breaks included; not logged by {@link #logTo}. */
    default void block(String text) {
        text.lines().forEach(this::line);
    }

    /** Progress of a task counting {@code unit}s; {@code total} -1 when unknown. Close it when done. */
    Progress progress(String task, long total, String unit);

    /** A running task's progress. */
    interface Progress extends AutoCloseable {
        void stepTo(long done);

        default void step() {
        }

        default void stepBy(long n) {
        }

        default void maxHint(long total) {
        }

        /** A short text shown beside the bar (running loss, LR). */
        default void message(String extra) {
        }

        @Override
        default void close() {
        }
    }

    /** A progress that shows nothing. */
    Progress NONE = done -> {
    };

    /** Lines to {@code lines} (a test's list, a logger), no progress. */
    static Reporter lines(java.util.function.Consumer<String> lines) {
        return new Reporter() {
            @Override
            public void line(String text) {
                lines.accept(text);
            }

            @Override
            public Progress progress(String task, long total, String unit) {
                return NONE;
            }
        };
    }

    /** Drops everything. */
    static Reporter silent() {
        return new Reporter() {
            @Override
            public void line(String text) {
            }

            @Override
            public Progress progress(String task, long total, String unit) {
                return NONE;
            }
        };
    }

    /** This reporter, with every line also appended to {@code dir}'s log. */
    default Reporter logTo(RunDir dir) {
        Reporter to = this;
        return new Reporter() {
            @Override
            public void line(String text) {
                to.line(text);
                dir.log(text);
            }

            @Override
            public void block(String text) {
                to.block(text);
            }

            @Override
            public Progress progress(String task, long total, String unit) {
                return to.progress(task, total, unit);
            }
        };
    }
}
