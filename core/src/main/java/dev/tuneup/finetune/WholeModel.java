package dev.tuneup.finetune;

import ai.djl.nn.Parameter;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Pair;
import dev.tuneup.TuneupException;
import dev.tuneup.model.TorchScriptBackbone;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Catches a TorchScript model exported whole, classifier included: its output would be class scores,
 * and fine-tuning a new head on class scores quietly loses most of what the base knows (in issue 16,
 * 54% against 73% from scratch). A TorchScript graph cannot be cut from Java, so such a file is refused
 * with the one-line headless export.
 */
final class WholeModel {
    /** A trailing classifier's weight: {@code fc.weight}, {@code classifier.1.weight}, {@code head.fc.weight}, ... */
    private static final Pattern CLASSIFIER = Pattern.compile("(^|.*\\.)(fc|classifier|head|heads|last_linear)"
            + "(\\.[A-Za-z0-9_]+)*\\.weight$");

    private WholeModel() {
    }

    /**
     * Fails when {@code forward} is the feature method and the backbone's last 2-D weight belongs to a module named fc/classifier/head whose output
     * width is the feature count: the method then returns that layer's class scores.
     */
    static void refuseClassifier(TorchScriptBackbone bb, Path file, int features) {
        if (!"forward".equals(bb.method())) {
            return; // forward_features (or a method the user named) is a features method by contract
        }
        Pair<String, Parameter> last = null;
        for (Pair<String, Parameter> p : bb.getDirectParameters()) {
            if (p.getValue().getArray().getShape().dimension() == 2) {
                last = p;
            }
        }
        if (last == null) {
            return;
        }
        Shape s = last.getValue().getArray().getShape();
        if (CLASSIFIER.matcher(last.getKey()).matches() && s.get(0) == features) {
            String module = last.getKey().substring(0, last.getKey().length() - ".weight".length());
            throw new TuneupException(file + " is a whole model: its " + bb.method() + "() ends in the classifier "
                    + module + " (Linear " + s.get(1) + " -> " + s.get(0) + "), so it returns " + features
                    + " class scores, not features", "export it headless: m." + module + " = torch.nn.Identity();"
                    + " torch.jit.script(m).save('headless.pt') (or scripts/export_torchvision_base.py, which adds"
                    + " forward_features); or name a method that returns features with finetune.method");
        }
    }
}
