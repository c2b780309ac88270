package dev.tuneup.report;

import dev.tuneup.TuneupException;
import dev.tuneup.train.LrFinder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The picture of an {@link LrFinder} sweep: smoothed loss against the LR (log axis), suggestions marked. */
public final class LrFinderPlot {
    private LrFinderPlot() {
    }

    /** Writes {@code r}'s curve as a PNG ({@link Charts#WIDTH} x {@link Charts#HEIGHT}). */
    public static void write(Path png, LrFinder.Result r) throws IOException {
        if (r.lrs().length == 0) {
            throw new TuneupException("the LR sweep recorded no finite loss (" + r.stopReason() + ")",
                    "start the sweep at a lower learning rate");
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("smoothed loss", new double[][] {r.lrs(), r.smoothed()});
        List<Charts.Marker> markers = new ArrayList<>();
        addMarker(markers, "valley", r.valley());
        addMarker(markers, "steepest", r.steepest());
        addMarker(markers, "min/10", r.minOver10());
        Charts.lineChart(png, "Learning-rate finder", "learning rate (log)", "loss", true, series, markers);
    }

    private static void addMarker(List<Charts.Marker> markers, String name, double lr) {
        if (Double.isFinite(lr) && lr > 0) {
            markers.add(new Charts.Marker(lr, name + " " + String.format(Locale.ROOT, "%.3g", lr)));
        }
    }
}
