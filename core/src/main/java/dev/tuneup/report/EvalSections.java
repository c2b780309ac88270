package dev.tuneup.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneup.report.ReportPage.Section;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An eval folder: headline numbers, per-class table, confusion matrix, reliability diagram, corruption bars. */
final class EvalSections {
    private EvalSections() {
    }

    static List<Section> of(Path dir) {
        JsonNode eval = FolderFiles.json(dir.resolve("eval.json"));
        JsonNode test = eval.path("test");
        List<Section> out = new ArrayList<>();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("accuracy", FolderFiles.num(test.get("accuracy")));
        f.put("top-" + test.path("top_k").asInt() + " accuracy", FolderFiles.num(test.get("top_k_accuracy")));
        f.put("NLL", FolderFiles.num(test.get("nll")));
        f.put("ECE", FolderFiles.num(test.path("calibration").get("ece")));
        f.put("temperature", FolderFiles.num(eval.get("temperature")));
        if (eval.path("corruptions").size() > 0) {
            f.put("mean corruption accuracy", FolderFiles.num(eval.get("mean_corruption_accuracy")));
            f.put("relative robustness", FolderFiles.num(eval.get("relative_robustness")));
        }
        f.put("images", test.path("n").asText());
        out.add(new Section("Summary", List.of(new ReportPage.Figures(f), new ReportPage.Text("model: "
                + eval.path("model").asText() + "\ndata: " + eval.path("data").asText()))));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode c : test.path("per_class")) {
            rows.add(List.of(c.path("name").asText(), FolderFiles.num(c.get("precision")), FolderFiles.num(c.get("recall")),
                    FolderFiles.num(c.get("f1")), c.path("support").asText()));
        }
        out.add(Section.of("Per class", new ReportPage.Table(List.of("class", "precision", "recall", "f1", "support"), rows)));
        picture(out, dir, "confusion.png", "Confusion matrix", "Rows: true class; columns: predicted class");
        picture(out, dir, "reliability.png", "Reliability diagram", "Confidence against accuracy per bin");
        picture(out, dir, "corruptions.png", "Corruptions", "Accuracy by corruption and severity");
        String text = FolderFiles.text(dir.resolve("eval.txt"));
        if (text != null) {
            out.add(Section.of("Evaluation as text", new ReportPage.Text(text)));
        }
        return out;
    }

    static void picture(List<Section> out, Path dir, String file, String title, String caption) {
        byte[] png = FolderFiles.bytes(dir.resolve(file));
        if (png != null) {
            out.add(Section.of(title, new ReportPage.Picture(caption, png)));
        }
    }
}
