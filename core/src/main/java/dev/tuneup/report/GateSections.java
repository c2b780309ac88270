package dev.tuneup.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneup.report.ReportPage.Block;
import dev.tuneup.report.ReportPage.Section;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The regression gate of a repair or label-issues folder: the verdict with its reasons, its numbers
 * ({@code gate.json}) and the readable {@code gate.txt}. A folder written before gate.json existed
 * shows the verdict read from gate.txt's "Verdict:" line.
 */
final class GateSections {
    private GateSections() {
    }

    /** The gate's section, or none when the folder holds no gate (a run that stopped before it). */
    static List<Section> of(Path dir) {
        JsonNode gate = FolderFiles.json(dir.resolve("gate.json"));
        String text = FolderFiles.text(dir.resolve("gate.txt"));
        if (gate == null && text == null) {
            return List.of();
        }
        List<Block> blocks = new ArrayList<>();
        if (gate != null) {
            List<String> reasons = new ArrayList<>();
            gate.path("reasons").forEach(r -> reasons.add(r.asText()));
            blocks.add(new ReportPage.Verdict(gate.path("accepted").asBoolean(), reasons));
            blocks.add(new ReportPage.Figures(figures(gate)));
            blocks.add(recall(gate));
        } else {
            blocks.add(fromText(text));
        }
        if (text != null) {
            blocks.add(new ReportPage.Text(text));
        }
        return List.of(new Section("Regression gate", blocks));
    }

    private static Map<String, String> figures(JsonNode g) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("selection images", g.path("n").asText());
        f.put("accuracy before", FolderFiles.num(g.get("accuracy_before")));
        f.put("accuracy after", FolderFiles.num(g.get("accuracy_after")));
        f.put("errors fixed", g.path("fixed").asText());
        f.put("new errors", g.path("broken").asText());
        f.put("McNemar p", g.path("p_value").isNumber() ? String.format(Locale.ROOT, "%.4g", g.path("p_value").asDouble())
                : "-");
        if (g.has("mixing_alpha")) {
            f.put("mixing alpha", String.format(Locale.ROOT, "%.2f", g.path("mixing_alpha").asDouble()));
        }
        JsonNode t = g.path("targeted");
        if (t.isObject()) {
            f.put(t.path("name").asText() + " before", FolderFiles.num(t.get("before")));
            f.put(t.path("name").asText() + " after", FolderFiles.num(t.get("after")));
        }
        g.path("test_accuracy").fields().forEachRemaining(e -> f.put("test accuracy, " + e.getKey(),
                FolderFiles.num(e.getValue())));
        return f;
    }

    private static ReportPage.Table recall(JsonNode g) {
        List<List<String>> rows = new ArrayList<>();
        g.path("recall_before").fields().forEachRemaining(e -> {
            double before = e.getValue().asDouble();
            double delta = g.path("recall_delta").path(e.getKey()).asDouble();
            rows.add(List.of(e.getKey(), FolderFiles.num(before), FolderFiles.num(before + delta),
                    String.format(Locale.ROOT, "%+.4f", delta)));
        });
        return new ReportPage.Table(List.of("class", "recall before", "recall after", "delta"), rows);
    }

    /** The verdict from gate.txt: "Verdict: ACCEPTED" and the "  - reason" lines after it. */
    private static ReportPage.Verdict fromText(String text) {
        List<String> reasons = new ArrayList<>();
        boolean accepted = false;
        boolean after = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("Verdict: ")) {
                accepted = line.contains("ACCEPTED");
                after = true;
                reasons.clear();
            } else if (after && line.startsWith("  - ")) {
                reasons.add(line.substring(4));
            } else {
                after = false;
            }
        }
        return new ReportPage.Verdict(accepted, reasons);
    }
}
