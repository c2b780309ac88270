package dev.tuneup.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneup.TuneupException;
import dev.tuneup.report.ReportPage.Section;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A train or fine-tune run folder: test numbers, training curves, LR finder, metrics per epoch. */
final class RunSections {
    private RunSections() {
    }

    static List<Section> of(Path dir) {
        List<Section> out = new ArrayList<>();
        List<Map<String, Object>> rows = FolderFiles.csv(dir.resolve("metrics.csv"));
        Map<String, String> figures = new LinkedHashMap<>();
        JsonNode test = FolderFiles.json(dir.resolve("test.json"));
        if (test != null) {
            figures.put("test accuracy", FolderFiles.num(test.get("accuracy")));
            figures.put("test loss", FolderFiles.num(test.get("loss")));
            figures.put("test top-5", FolderFiles.num(test.get("top5")));
        }
        double best = rows.stream().map(r -> r.get("val_acc")).filter(v -> v instanceof Double d && Double.isFinite(d))
                .mapToDouble(v -> (Double) v).max().orElse(Double.NaN);
        figures.put("best val accuracy", FolderFiles.num(best));
        figures.put("epochs", String.valueOf(rows.size()));
        out.add(Section.of("Summary", new ReportPage.Figures(figures)));
        byte[] curves = FolderFiles.bytes(dir.resolve("curves.png"));
        if (curves == null && !rows.isEmpty()) {
            curves = draw(rows);
        }
        if (curves != null) {
            out.add(Section.of("Training curves", new ReportPage.Picture("Loss and accuracy per epoch", curves)));
        }
        byte[] lr = FolderFiles.bytes(dir.resolve("lr-find.png"));
        if (lr != null) {
            out.add(Section.of("Learning-rate finder", new ReportPage.Picture("Loss against the learning rate", lr)));
        }
        if (!rows.isEmpty()) {
            out.add(Section.of("Metrics per epoch", table(rows)));
        }
        JsonNode info = FolderFiles.json(dir.resolve("bundle-info.json"));
        if (info != null && info.has("classes")) {
            List<String> classes = new ArrayList<>();
            info.get("classes").forEach(c -> classes.add(c.asText()));
            out.add(Section.of("Classes", new ReportPage.Text(String.join(", ", classes))));
        }
        return out;
    }

    private static byte[] draw(List<Map<String, Object>> rows) {
        try {
            return Charts.trainingCurves(rows);
        } catch (TuneupException e) {
            return null; // no finite point to draw: the table below still shows the rows
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSV rows as a table, numbers to four significant digits. */
    static ReportPage.Table table(List<Map<String, Object>> rows) {
        List<String> header = new ArrayList<>(rows.get(0).keySet());
        List<List<String>> cells = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            List<String> row = new ArrayList<>();
            header.forEach(h -> row.add(r.get(h) instanceof Double d ? (d == Math.rint(d) && Math.abs(d) < 1e9
                    ? String.valueOf(d.longValue()) : String.format(java.util.Locale.ROOT, "%.4g", d)) : String.valueOf(r.get(h))));
            cells.add(row);
        }
        return new ReportPage.Table(header, cells);
    }
}
