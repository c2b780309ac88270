package dev.tuneup.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.evaluate.EvaluationJson;
import dev.tuneup.evaluate.EvaluationText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders an {@link EvalRun.Report}: the terminal summary, {@code eval.json} and the plots. */
public final class EvalReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalReport() {
    }

    public static String text(EvalRun.Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append("test set (").append(r.data()).append("), temperature ").append(fmt(r.temperature())).append('\n');
        sb.append(EvaluationText.table(r.clean()));
        if (r.temperature() != 1.0) {
            sb.append(String.format(Locale.ROOT, "calibration: ECE %.4f at T=1 -> %.4f at T=%.3f; NLL %.4f -> %.4f%n",
                    r.uncalibrated().calibration().ece(), r.clean().calibration().ece(), r.temperature(),
                    r.uncalibrated().nll(), r.clean().nll()));
        }
        if (r.tta() != null) {
            sb.append(String.format(Locale.ROOT, "test-time augmentation (%s): accuracy %.4f (plain %.4f), NLL %.4f%n",
                    r.ttaMode(), r.tta().accuracy(), r.clean().accuracy(), r.tta().nll()));
        }
        if (!r.corruptions().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%ncorruptions: accuracy by severity%n%-18s", "corruption"));
            List<Integer> sev = r.corruptions().stream().map(EvalRun.CorruptionResult::severity).distinct().sorted().toList();
            sev.forEach(s -> sb.append(String.format(Locale.ROOT, "%8s", "s" + s)));
            sb.append('\n');
            Map<String, Map<Integer, Double>> rows = rows(r);
            rows.forEach((c, bySev) -> {
                sb.append(String.format(Locale.ROOT, "%-18s", c));
                sev.forEach(s -> sb.append(bySev.containsKey(s) ? String.format(Locale.ROOT, "%8.4f", bySev.get(s))
                        : String.format(Locale.ROOT, "%8s", "-")));
                sb.append('\n');
            });
            sb.append(String.format(Locale.ROOT, "mean corruption accuracy %.4f, relative robustness %.3f (clean %.4f)%n",
                    r.meanCorruptionAccuracy(), r.relativeRobustness(), r.clean().accuracy()));
        }
        if (r.other() != null) {
            EvalRun.Other o = r.other();
            sb.append(String.format(Locale.ROOT, "%nother data (%s): %d images, %d in the model's classes%n", o.name(),
                    o.images(), o.known()));
            if (!o.unknownClasses().isEmpty()) {
                sb.append("  classes the model does not know: ").append(o.unknownClasses()).append('\n');
            }
            if (o.evaluation() != null) {
                sb.append(String.format(Locale.ROOT, "  accuracy on its known classes %.4f (test %.4f)%n",
                        o.evaluation().accuracy(), r.clean().accuracy()));
            }
            sb.append(String.format(Locale.ROOT, "  out-of-distribution AUROC (test vs this set): max softmax %.4f,"
                    + " energy %.4f%n", o.aurocMsp(), o.aurocEnergy()));
        }
        sb.append(String.format(Locale.ROOT, "%nspeed: %.0f images/s plain, %.0f images/s corrupting and predicting%n",
                r.plainImagesPerSecond(), r.corruptedImagesPerSecond()));
        return sb.toString();
    }

    /** Writes eval.json, confusion.png, reliability.png and (with corruptions) corruptions.png into {@code dir}. */
    public static void write(Path dir, EvalRun.Report r) throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = JSON.createObjectNode();
        root.put("model", r.model());
        root.put("data", r.data());
        root.put("temperature", r.temperature());
        root.set("test", JSON.readTree(EvaluationJson.toJson(r.clean())));
        root.set("test_uncalibrated", JSON.readTree(EvaluationJson.toJson(r.uncalibrated())));
        if (r.tta() != null) {
            root.put("tta_mode", r.ttaMode());
            root.set("tta", JSON.readTree(EvaluationJson.toJson(r.tta())));
        }
        ArrayNode cs = root.putArray("corruptions");
        for (EvalRun.CorruptionResult c : r.corruptions()) {
            cs.add(JSON.valueToTree(c));
        }
        putNumber(root, "mean_corruption_accuracy", r.meanCorruptionAccuracy());
        putNumber(root, "relative_robustness", r.relativeRobustness());
        if (r.other() != null) {
            EvalRun.Other o = r.other();
            ObjectNode on = root.putObject("other");
            on.put("name", o.name());
            on.put("images", o.images());
            on.put("known", o.known());
            on.set("unknown_classes", JSON.valueToTree(o.unknownClasses()));
            if (o.evaluation() != null) {
                on.set("evaluation", JSON.readTree(EvaluationJson.toJson(o.evaluation())));
            }
            on.put("auroc_msp", o.aurocMsp());
            on.put("auroc_energy", o.aurocEnergy());
        }
        putNumber(root, "plain_images_per_second", r.plainImagesPerSecond());
        putNumber(root, "corrupted_images_per_second", r.corruptedImagesPerSecond());
        Path tmp = dev.tuneup.TempFiles.file(dir, ".eval", ".json");
        Files.write(tmp, JSON.writeValueAsBytes(root));
        Files.move(tmp, dir.resolve("eval.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        ConfusionPlot.write(dir.resolve("confusion.png"), r.clean(), r.clean().classes().size() > 12);
        ReliabilityPlot.write(dir.resolve("reliability.png"), r.clean());
        if (!r.corruptions().isEmpty()) {
            CorruptionPlot.write(dir.resolve("corruptions.png"), String.format(Locale.ROOT,
                    "Accuracy under corruption: mean %.3f, clean %.3f", r.meanCorruptionAccuracy(), r.clean().accuracy()),
                    rows(r), r.clean().accuracy());
        }
    }

    private static Map<String, Map<Integer, Double>> rows(EvalRun.Report r) {
        Map<String, Map<Integer, Double>> rows = new LinkedHashMap<>();
        for (EvalRun.CorruptionResult c : r.corruptions()) {
            rows.computeIfAbsent(c.corruption(), k -> new java.util.TreeMap<>()).put(c.severity(), c.accuracy());
        }
        return rows;
    }

    private static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
