package dev.tuneup.workflow;

import dev.tuneup.data.DataSources;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.LoadOptions;
import java.nio.file.Path;
import java.util.List;

/** Loads a named data set with a progress bar over decoded image files, shown from the first one decoded. */
public final class DataLoad {
    private DataLoad() {
    }

    public static Dataset load(String name, List<Path> dataDirs, LoadOptions options, Reporter out) {
        Reporter.Progress[] bar = new Reporter.Progress[1];
        Runnable step = () -> {
            synchronized (bar) {
                if (bar[0] == null) {
                    bar[0] = out.progress("decode", -1, "img");
                }
                bar[0].step();
            }
        };
        try {
            return DataSources.load(name, dataDirs, options.withProgress(step));
        } finally {
            synchronized (bar) {
                if (bar[0] != null) {
                    bar[0].close();
                }
            }
        }
    }
}
