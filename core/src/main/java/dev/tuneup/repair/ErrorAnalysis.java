package dev.tuneup.repair;

import dev.tuneup.evaluate.ClassMetrics;
import dev.tuneup.evaluate.Evaluation;
import dev.tuneup.internal.Indices;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a model gets wrong, from its predictions on a labelled set (fastai's {@code top_losses} and
 * {@code most_confused}): the examples with the highest loss, the class pairs it confuses most, and
 * the error rate of each class, worst first. Corruption weaknesses come from an evaluation report.
 */
public record ErrorAnalysis(List<Loss> topLosses, List<Confusion> confusedPairs, List<ClassError> classErrors) {
    /** One example: its index, true and predicted class, the loss and the predicted class's probability. */
    public record Loss(int index, int truth, int predicted, double loss, double confidence) {
    }

    /** Images of {@code truth} predicted as {@code predicted}. */
    public record Confusion(String truth, String predicted, int count) {
    }

    /** A class's error rate (1 - recall) and support. */
    public record ClassError(String name, double error, int support) {
    }

    /** @param top how many top losses and confused pairs to keep */
    public static ErrorAnalysis of(float[][] probabilities, int[] labels, Evaluation e, int top) {
        List<Loss> losses = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            float[] p = probabilities[i];
            int best = Indices.argmax(p);
            losses.add(new Loss(i, labels[i], best, -Math.log(Math.max(p[labels[i]], 1e-15)), p[best]));
        }
        losses.sort(Comparator.comparingDouble(Loss::loss).reversed().thenComparingInt(Loss::index));
        List<Confusion> pairs = new ArrayList<>();
        int k = e.classes().size();
        for (int t = 0; t < k; t++) {
            for (int q = 0; q < k; q++) {
                int n = e.confusion().count(t, q);
                if (t != q && n > 0) {
                    pairs.add(new Confusion(e.classes().get(t), e.classes().get(q), n));
                }
            }
        }
        pairs.sort(Comparator.comparingInt(Confusion::count).reversed());
        List<ClassError> errors = new ArrayList<>();
        for (ClassMetrics m : e.perClass()) {
            errors.add(new ClassError(m.name(), 1 - m.recall(), m.support()));
        }
        errors.sort(Comparator.comparingDouble(ClassError::error).reversed());
        return new ErrorAnalysis(losses.subList(0, Math.min(top, losses.size())),
                pairs.subList(0, Math.min(top, pairs.size())), errors);
    }

    public String text(List<String> classes, List<String> sources) {
        StringBuilder sb = new StringBuilder("most confused (true -> predicted: images)\n");
        confusedPairs.forEach(c -> sb.append(String.format(Locale.ROOT, "  %-16s -> %-16s %d%n", c.truth(), c.predicted(),
                c.count())));
        sb.append("error rate per class, worst first\n");
        classErrors.forEach(c -> sb.append(String.format(Locale.ROOT, "  %-16s %.4f  (%d images)%n", c.name(), c.error(),
                c.support())));
        sb.append("top losses (image, true, predicted, confidence, loss)\n");
        topLosses.stream().limit(10).forEach(l -> sb.append(String.format(Locale.ROOT, "  %-28s %-12s %-12s %.3f %.3f%n",
                sources.get(l.index()), classes.get(l.truth()), classes.get(l.predicted()), l.confidence(), l.loss())));
        return sb.toString();
    }
}
