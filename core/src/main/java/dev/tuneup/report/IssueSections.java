package dev.tuneup.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneup.report.ReportPage.Section;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An analyze or label-issues folder: the images singled out, with their ids and labels, and the tables. */
final class IssueSections {
    private static final int TABLE_ROWS = 30;

    private IssueSections() {
    }

    static List<Section> analysis(Path dir) {
        JsonNode a = FolderFiles.json(dir.resolve("analysis.json"));
        List<Section> out = new ArrayList<>();
        Map<String, String> f = new LinkedHashMap<>();
        if (a.has("accuracy")) {
            f.put("accuracy", FolderFiles.num(a.get("accuracy")));
            f.put("images", a.path("images").asText());
        }
        f.put("top losses", String.valueOf(FolderFiles.field(a, "top_losses").size()));
        out.add(Section.of("Summary", new ReportPage.Figures(f)));
        gallery(out, dir, "top-losses", "Top losses", "Images the model gets most confidently wrong");
        List<List<String>> pairs = new ArrayList<>();
        FolderFiles.field(a, "confused_pairs").forEach(p -> pairs.add(List.of(p.path("truth").asText(),
                p.path("predicted").asText(), p.path("count").asText())));
        out.add(Section.of("Most confused pairs", new ReportPage.Table(List.of("true", "predicted", "count"), pairs)));
        List<List<String>> errors = new ArrayList<>();
        FolderFiles.field(a, "class_errors").forEach(c -> errors.add(List.of(c.path("name").asText(),
                FolderFiles.num(c.get("error")), c.path("support").asText())));
        out.add(Section.of("Error rate per class", new ReportPage.Table(List.of("class", "error", "support"), errors)));
        String text = FolderFiles.text(dir.resolve("analysis.txt"));
        if (text != null) {
            out.add(Section.of("Analysis as text", new ReportPage.Text(text)));
        }
        return out;
    }

    static List<Section> labelIssues(Path dir) {
        List<Map<String, Object>> rows = FolderFiles.csv(dir.resolve("label-issues.csv"));
        List<Section> out = new ArrayList<>();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("suspected label errors", String.valueOf(rows.size()));
        if (!rows.isEmpty() && rows.get(0).containsKey("wrong")) {
            f.put("truly wrong among them", String.valueOf(rows.stream().filter(r -> "true".equals(r.get("wrong"))).count()));
        }
        out.add(Section.of("Summary", new ReportPage.Figures(f)));
        gallery(out, dir, "label-issues", "Label issues", "Most likely label errors");
        if (!rows.isEmpty()) {
            out.add(Section.of("Label issues, top " + Math.min(TABLE_ROWS, rows.size()),
                    RunSections.table(rows.subList(0, Math.min(TABLE_ROWS, rows.size())))));
        }
        out.addAll(GateSections.of(dir));
        return out;
    }

    /** {@code name}.json as a gallery; a folder written before it existed shows {@code name}.png. */
    private static void gallery(List<Section> out, Path dir, String name, String title, String caption) {
        Path json = dir.resolve(name + ".json");
        if (Files.isRegularFile(json)) {
            try {
                out.add(Section.of(title, new ReportPage.Gallery(Gallery.read(json))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            EvalSections.picture(out, dir, name + ".png", title, caption);
        }
    }
}
