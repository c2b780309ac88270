package dev.tuneup.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the files workflows leave in a run folder: metrics.csv, test.json, eval.json, config.yaml. */
public final class RunFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RunFiles() {
    }

    /**
     * metrics.csv as rows of numbers in file order (a cell that is not a number is NaN); empty without
     * the file. A fine-tune's rows count epochs per phase; {@code step} (added here) counts them over the run.
     */
    public static List<Map<String, Double>> history(Path dir) {
        List<Map<String, Double>> rows = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve("metrics.csv"));
        } catch (IOException e) {
            return rows;
        }
        if (lines.isEmpty()) {
            return rows;
        }
        String[] head = lines.get(0).split(",");
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            Map<String, Double> row = new LinkedHashMap<>();
            for (int i = 0; i < head.length; i++) {
                row.put(head[i], i < cells.length ? number(cells[i]) : Double.NaN);
            }
            row.put("step", (double) rows.size() + 1);
            rows.add(row);
        }
        return rows;
    }

    /** The header line of metrics.csv, or "" without one. */
    static String header(Path dir) {
        try (var r = Files.newBufferedReader(dir.resolve("metrics.csv"))) {
            String h = r.readLine();
            return h == null ? "" : h;
        } catch (IOException e) {
            return "";
        }
    }

    /** A run's final numbers (see {@link RunRecord#metrics()}), NaN left out. */
    static Map<String, Double> metrics(Path dir) {
        Map<String, Double> m = new TreeMap<>();
        List<Map<String, Double>> h = history(dir);
        if (!h.isEmpty()) {
            Map<String, Double> last = h.get(h.size() - 1);
            for (String k : List.of("train_loss", "train_acc", "val_loss", "val_acc", "val_top5")) {
                put(m, k, last.getOrDefault(k, Double.NaN));
            }
            m.put("epochs", (double) h.size());
            put(m, "best_val_acc", h.stream().mapToDouble(r -> r.getOrDefault("val_acc", Double.NaN))
                    .filter(Double::isFinite).max().orElse(Double.NaN));
        }
        JsonNode test = json(dir.resolve("test.json"));
        if (test != null) {
            test.fields().forEachRemaining(e -> put(m, "test_" + e.getKey(), e.getValue().asDouble(Double.NaN)));
        }
        JsonNode eval = json(dir.resolve("eval.json"));
        if (eval != null) {
            JsonNode t = eval.path("test");
            put(m, "accuracy", t.path("accuracy").asDouble(Double.NaN));
            put(m, "nll", t.path("nll").asDouble(Double.NaN));
            put(m, "ece", t.path("calibration").path("ece").asDouble(Double.NaN));
            put(m, "macro_f1", t.path("macro").path("f1").asDouble(Double.NaN));
            put(m, "mean_corruption_accuracy", eval.path("mean_corruption_accuracy").asDouble(Double.NaN));
            put(m, "ood_auroc", eval.path("other").path("auroc_msp").asDouble(Double.NaN));
        }
        return m;
    }

    /** config.yaml flattened to dotted keys; lists as their JSON text ({@code [8, 16]}); empty without one. */
    public static Map<String, String> config(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try {
            JsonNode root = YAML.readTree(dir.resolve(RunDir.CONFIG).toFile());
            flatten("", root, out);
        } catch (IOException | RuntimeException e) {
            // no config, or not YAML: nothing to show
        }
        return out;
    }

    /** YAML text flattened as {@link #config} does; empty when it is not YAML. */
    public static Map<String, String> flatten(String yaml) {
        Map<String, String> out = new TreeMap<>();
        try {
            flatten("", YAML.readTree(yaml), out);
        } catch (IOException | RuntimeException e) {
            // not YAML: nothing to show
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (!prefix.isEmpty()) {
                out.put(prefix, "");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            out.put(prefix, node.toString().replace(",", ", "));
        } else {
            out.put(prefix, node.asText());
        }
    }

    private static JsonNode json(Path file) {
        try {
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void put(Map<String, Double> m, String k, double v) {
        if (Double.isFinite(v)) {
            m.put(k, v);
        }
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
