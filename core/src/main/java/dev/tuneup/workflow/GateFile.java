package dev.tuneup.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneup.repair.Decision;
import dev.tuneup.track.RunDir;
import java.util.Map;

/**
 * {@code gate.json}: a regression gate's verdict with its numbers, beside the readable {@code gate.txt},
 * for reports and scripts. Keys: {@code accepted}, {@code reasons}, {@code n}, {@code accuracy_before},
 * {@code accuracy_after}, {@code fixed}, {@code broken}, {@code p_value}, {@code alpha},
 * {@code max_recall_drop}, {@code recall_before}, {@code recall_delta}, {@code targeted} (or null),
 * {@code mixing_alpha} and {@code bundle} (repair only: the mixing weight and the bundle it kept) and {@code test_accuracy} (model name to accuracy on the test
 * split, read once after the decision).
 */
final class GateFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GateFile() {
    }

    static void write(RunDir dir, Decision d, Double mixingAlpha, java.nio.file.Path bundle,
                      Map<String, Double> testAccuracy) {
        ObjectNode n = JSON.createObjectNode();
        n.put("accepted", d.accepted());
        n.set("reasons", JSON.valueToTree(d.reasons()));
        n.put("n", d.n());
        number(n, "accuracy_before", d.accuracyBefore());
        number(n, "accuracy_after", d.accuracyAfter());
        n.put("fixed", d.fixed());
        n.put("broken", d.broken());
        number(n, "p_value", d.pValue());
        number(n, "alpha", d.alpha());
        number(n, "max_recall_drop", d.maxRecallDrop());
        n.set("recall_before", JSON.valueToTree(d.recallBefore()));
        n.set("recall_delta", JSON.valueToTree(d.recallDelta()));
        if (d.targeted() == null) {
            n.putNull("targeted");
        } else {
            ObjectNode t = n.putObject("targeted");
            t.put("name", d.targeted().name());
            number(t, "before", d.targeted().before());
            number(t, "after", d.targeted().after());
            number(t, "min_improvement", d.targeted().minImprovement());
        }
        if (mixingAlpha != null) {
            n.put("mixing_alpha", mixingAlpha);
        }
        if (bundle != null) {
            n.put("bundle", bundle.toAbsolutePath().toString());
        }
        ObjectNode test = n.putObject("test_accuracy");
        testAccuracy.forEach((k, v) -> number(test, k, v));
        dir.writeJson("gate.json", n);
    }

    private static void number(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }
}
