package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.data.ImageSet;
import dev.tuneup.evaluate.Calibrate;
import dev.tuneup.finetune.WeightInterpolation;
import dev.tuneup.repair.Decision;
import dev.tuneup.repair.LabelRepair;
import dev.tuneup.repair.RegressionGate;
import dev.tuneup.repair.TargetedMetric;
import dev.tuneup.track.RunDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The last step of every repair: the candidate is mixed with the current model in weight space
 * (WiSE-FT) at several weights, each mix is judged by the regression gate on the selection split
 * (never the test split), and the best mix the gate accepts is the repaired model; when none is
 * accepted, the one that went furthest toward the target is reported with the gate's reasons.
 */
final class Selection {
    /** Mixing weights tried, from mostly the current model to the candidate alone. */
    static final double[] ALPHAS = {0.25, 0.5, 0.75, 1.0};

    /** The repair's targeted metric, measured on a model (higher is better). */
    interface Target {
        String name();

        /** The metric for {@code model}, whose selection-split probabilities are {@code probs}. */
        double of(ModelBundle.Loaded model, float[][] probs);

        /** The metric for the current model; a target that measured it already returns that. */
        default double current(ModelBundle.Loaded model, float[][] probs) {
            return of(model, probs);
        }
    }

    /**
     * One mix: its weight, selection-split accuracy, targeted metric and the gate's decision.
     */
    record Mix(double alpha, double accuracy, double target, Decision decision) {
    }

    /**
     * What was chosen.
     *
     * @param target  the targeted metric's name
     * @param bundle  the chosen model's bundle (the candidate's own when alpha is 1)
     * @param current the current model's targeted metric on the selection split
     */
    record Result(String target, Mix chosen, List<Mix> tried, double current, Path bundle) {
        boolean accepted() {
            return chosen.decision().accepted();
        }
    }

    private Selection() {
    }

    static Result choose(Path model, Path candidate, ImageSet selection, Target target, double minGain,
                         RegressionGate gate, RunDir dir, Reporter o) {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded cur = ModelBundle.load(model, m);
            ModelBundle.Loaded cand = ModelBundle.load(candidate, m);
            int[] labels = selection.labels();
            float[][] curProbs = new Predictor(cur, m, 256).probabilities(selection);
            int[] before = LabelRepair.argmax(curProbs);
            double t0 = target.current(cur, curProbs);
            o.line(String.format(Locale.ROOT, "selection split: %d images; current model accuracy %.4f, %s %.4f",
                    selection.size(), LabelRepair.accuracy(before, labels), target.name(), t0));
            List<Mix> tried = new ArrayList<>();
            for (double alpha : ALPHAS) {
                ModelBundle.Loaded mixed = alpha == 1 ? cand : mixed(model, cur, cand, alpha, m);
                float[][] probs = new Predictor(mixed, m, 256).probabilities(selection);
                int[] after = LabelRepair.argmax(probs);
                double t = target.of(mixed, probs);
                Decision d = gate.decide(labels, before, after, selection.classes(),
                        new TargetedMetric(target.name(), t0, t, minGain));
                Mix mix = new Mix(alpha, LabelRepair.accuracy(after, labels), t, d);
                tried.add(mix);
                o.line(String.format(Locale.ROOT, "  alpha %.2f: accuracy %.4f, %s %.4f: %s", alpha, mix.accuracy(),
                        target.name(), t, d.accepted() ? "accepted" : "rejected (" + String.join("; ", d.reasons()) + ")"));
            }
            Mix chosen = best(tried);
            Path bundle = chosen.alpha() == 1 ? candidate : write(model, cur, cand, chosen.alpha(), selection, dir, m);
            return new Result(target.name(), chosen, tried, t0, bundle);
        }
    }

    /** The accepted mix with the highest targeted metric (the smaller weight on a tie); else the highest of all. */
    static Mix best(List<Mix> tried) {
        Mix best = null;
        boolean anyAccepted = tried.stream().anyMatch(x -> x.decision().accepted());
        for (Mix x : tried) {
            if (anyAccepted && !x.decision().accepted()) {
                continue;
            }
            if (best == null || x.target() > best.target()) {
                best = x;
            }
        }
        return best;
    }

    private static ModelBundle.Loaded mixed(Path model, ModelBundle.Loaded cur, ModelBundle.Loaded cand, double alpha,
                                            NDManager m) {
        ModelBundle.Loaded into = ModelBundle.load(model, m);
        WeightInterpolation.mix(into.model(), cur.model(), cand.model(), alpha);
        return new ModelBundle.Loaded(null, into.model(), cand.info());
    }

    /** The chosen mix as a bundle beside the candidate, its temperature fitted on the selection split. */
    private static Path write(Path model, ModelBundle.Loaded cur, ModelBundle.Loaded cand, double alpha,
                              ImageSet selection, RunDir dir, NDManager m) {
        ModelBundle.Loaded mix = mixed(model, cur, cand, alpha, m);
        Calibrate cal = Calibrate.fit(mix.model(), cand.info(), selection, m);
        Path out = dir.path().resolve(String.format(Locale.ROOT, "repaired-alpha-%.2f", alpha));
        return ModelBundle.write(out, mix.model(), cal.applyTo(cand.info()));
    }
}
