package dev.tuneup.workflow;

import dev.tuneup.data.DataFetch;

/** Download progress as one reporter bar per file, in bytes: what data and model fetches show. */
public final class DownloadBars implements DataFetch.Progress {
    private final Reporter reporter;
    private Reporter.Progress bar = Reporter.NONE;

    public DownloadBars(Reporter reporter) {
        this.reporter = reporter;
    }

    @Override
    public void start(String file, long totalBytes) {
        bar = reporter.progress(file, totalBytes, "B");
    }

    @Override
    public void advance(long bytes) {
        bar.stepBy(bytes);
    }

    @Override
    public void finish() {
        bar.close();
    }
}
