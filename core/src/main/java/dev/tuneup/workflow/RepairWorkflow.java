package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.data.Subsets;
import dev.tuneup.evaluate.ClassMetrics;
import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.evaluate.Evaluation;
import dev.tuneup.evaluate.Tta;
import dev.tuneup.repair.Decision;
import dev.tuneup.repair.LabelRepair;
import dev.tuneup.repair.RegressionGate;
import dev.tuneup.repair.Resample;
import dev.tuneup.repair.TargetedAugment;
import dev.tuneup.repair.TargetedMetric;
import dev.tuneup.repair.UserLabels;
import dev.tuneup.track.RunDir;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tuneup repair}: continue fine-tuning a bundle to fix a measured weakness, and accept the
 * candidate only through the regression gate. {@code AUGMENT}: augmentation aimed at the weakest
 * corruptions (targeted metric: mean corruption accuracy). {@code REWEIGHT}: oversample the classes
 * with the highest validation error (the weakest class's recall). {@code FEEDBACK}: users' labels,
 * from a CSV of training-image sources (test accuracy must not fall) or from a serve log (accuracy
 * on held-out user labels). {@code AUTO} picks one from the model's own evaluation and says why.
 */
public final class RepairWorkflow {
    /** The repairs. */
    public enum Strategy {
        AUTO, AUGMENT, REWEIGHT, FEEDBACK
    }

    /**
     * What to repair and how.
     *
     * @param feedbackCsv corrections (source,label) of training images, or null
     * @param userLabels  labels from a serve log, or null
     * @param weakest     how many weakest corruptions to target (augment)
     * @param perClass    test images per class for the gate
     * @param minGain     required gain of the targeted metric
     */
    public record Request(Path model, Strategy strategy, Path feedbackCsv, UserLabels.Source userLabels,
                          int feedbackWeight, int weakest, int perClass, double minGain) {
        public Request {
            if (strategy == Strategy.FEEDBACK && (feedbackCsv == null) == (userLabels == null)) {
                throw new TuneupException("repair by feedback needs either corrections (a CSV) or a serve log, not"
                        + " both or neither", "pass --feedback corrections.csv or --db feedback.db (from tuneup serve)");
            }
        }
    }

    private RepairWorkflow() {
    }

    public static Decision run(ResolvedRun run, Request q, Reporter reporter) throws IOException {
        RunConfig c = run.config();
        RunDir dir = RunDir.create(Path.of(c.output().dir()), c.output().name() + "-repair");
        reporter.line("repair (" + q.strategy().name().toLowerCase(Locale.ROOT) + ") -> " + dir.path());
        Reporter o = reporter.logTo(dir);
        EvalRun.Report before = null;
        Strategy chosen = q.strategy();
        if (chosen == Strategy.AUTO) {
            if (q.feedbackCsv() != null || q.userLabels() != null) {
                chosen = Strategy.FEEDBACK;
                o.line("auto: corrections were given, so the repair learns from them (feedback)");
            } else {
                before = evaluate(run, q.model(), q.perClass(), dir, o);
                chosen = choose(before, o);
            }
        }
        if (chosen == Strategy.AUGMENT) {
            return augment(run, q.model(), before, q.weakest(), q.perClass(), q.minGain(), dir, o);
        }
        return onData(run, q, chosen, dir, o);
    }

    /** auto: the gap that costs more accuracy decides, corruption (augment) or the weakest class (reweight). */
    static Strategy choose(EvalRun.Report r, Reporter o) {
        double clean = r.clean().accuracy();
        double corruptionGap = clean - r.meanCorruptionAccuracy();
        double worst = r.clean().perClass().stream().mapToDouble(ClassMetrics::recall).min().orElse(clean);
        double classGap = clean - worst;
        Strategy pick = corruptionGap >= classGap ? Strategy.AUGMENT : Strategy.REWEIGHT;
        o.line(String.format(Locale.ROOT, "auto: accuracy %.3f; under corruption %.3f (gap %.3f); weakest class recall"
                + " %.3f (gap %.3f) -> %s", clean, r.meanCorruptionAccuracy(), corruptionGap, worst, classGap,
                pick == Strategy.AUGMENT ? "augment for the weakest corruptions" : "reweight toward the weakest classes"));
        return pick;
    }

    /**
     * The corruption round, also quickstart's. {@code before} is the current model's evaluation with
     * corruptions at severities 1, 3, 5 on {@code perClass} images per class, or null to run it.
     */
    public static Decision augment(ResolvedRun run, Path model, EvalRun.Report before, int weakest, int perClass,
                                   double minGain, RunDir dir, Reporter o) throws IOException {
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(run.config()));
        if (before == null) {
            before = evaluate(run, model, perClass, dir, o);
        }
        Map<String, double[]> byCorruption = new LinkedHashMap<>();
        before.corruptions().forEach(r -> {
            double[] s = byCorruption.computeIfAbsent(r.corruption(), k -> new double[2]);
            s[0] += r.accuracy();
            s[1]++;
        });
        List<String> targets = byCorruption.entrySet().stream()
                .sorted(Map.Entry.comparingByValue((a, b) -> Double.compare(a[0] / a[1], b[0] / b[1])))
                .limit(weakest).map(Map.Entry::getKey).toList();
        String aug = TargetedAugment.spec(run.config().augment().train(), targets);
        o.line("2. continue fine-tuning aimed at the weakest corruptions " + targets + ": " + aug);
        FinetuneWorkflow.Result tuned = continueFrom(run.config().withAugment(aug), model, null, dir, o);
        o.line("3. evaluate the candidate the same way");
        EvalRun.Report after = EvalWorkflow.run(evalRequest(run, tuned.bundle(), perClass),
                RunDir.create(dir.path(), "eval-after"), o);
        TargetedMetric t = new TargetedMetric("mean corruption accuracy", before.meanCorruptionAccuracy(),
                after.meanCorruptionAccuracy(), minGain);
        return gate(score(run, model, tuned.bundle(), perClass, o), t, tuned.bundle(), dir, o);
    }

    /** The current model on {@code perClass} test images per class, clean and under corruption at severities 1, 3, 5. */
    private static EvalRun.Report evaluate(ResolvedRun run, Path model, int perClass, RunDir dir, Reporter o)
            throws IOException {
        o.line("1. evaluate the current model under corruption");
        return EvalWorkflow.run(evalRequest(run, model, perClass), RunDir.create(dir.path(), "eval-before"), o);
    }

    private static EvalWorkflow.Request evalRequest(ResolvedRun run, Path model, int perClass) {
        EvalRun.Options eo = new EvalRun.Options(Tta.NONE, Corruption.parse("all"), List.of(1, 3, 5),
                run.config().training().seed(), 0);
        return new EvalWorkflow.Request(model, run.data().name(), Dataset.TEST, null, eo, perClass, dataDirs(run));
    }

    private static List<Path> dataDirs(ResolvedRun run) {
        return run.data().dataDirs().stream().map(Path::of).toList();
    }

    /** reweight or feedback: change the training data, continue fine-tuning, gate on the test set. */
    private static Decision onData(ResolvedRun run, Request q, Strategy strategy, RunDir dir, Reporter o) {
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(run.config()));
        Sessions.Images loaded = Sessions.images(run, LoadOptions.defaults(), o);
        Sessions.Images changed;
        ImageSet heldOut = null;
        if (strategy == Strategy.REWEIGHT) {
            double[] error = classErrors(q.model(), loaded.val());
            ImageSet over = Resample.oversample(loaded.train(), error, 3);
            o.line(String.format(Locale.ROOT, "validation error per class %s: %d training images become %d",
                    format(loaded.val().classes(), error), loaded.train().size(), over.size()));
            changed = new Sessions.Images(loaded.name(), over, loaded.val(), loaded.test(), loaded.augment());
        } else if (q.userLabels() != null) {
            FeedbackTraining.Split split = FeedbackTraining.prepare(q.model(), q.userLabels(), loaded,
                    q.feedbackWeight(), o);
            changed = split.images();
            heldOut = split.heldOut();
        } else {
            Resample.Corrected fixed = Resample.corrections(loaded.train(), q.feedbackCsv());
            o.line(fixed.changed() + " training labels corrected from " + q.feedbackCsv());
            changed = new Sessions.Images(loaded.name(), fixed.set(), loaded.val(), loaded.test(), loaded.augment());
        }
        FinetuneWorkflow.Result tuned = continueFrom(run.config(), q.model(), changed, dir, o);
        Scored sc = score(run, q.model(), tuned.bundle(), q.perClass(), o);
        Evaluation now = Evaluation.of(sc.current(), sc.set().labels(), sc.set().classes(), 15, 0, 0);
        Evaluation next = Evaluation.of(sc.candidate(), sc.set().labels(), sc.set().classes(), 15, 0, 0);
        TargetedMetric t;
        if (strategy == Strategy.REWEIGHT) {
            ClassMetrics worst = now.perClass().stream().min(Comparator.comparingDouble(ClassMetrics::recall))
                    .orElseThrow();
            t = new TargetedMetric("recall of the weakest class, " + worst.name(), worst.recall(),
                    next.classMetrics(worst.name()).recall(), q.minGain());
        } else if (heldOut != null) {
            t = new TargetedMetric("accuracy on " + heldOut.size() + " held-out user-labelled images",
                    FeedbackTraining.accuracy(q.model(), heldOut), FeedbackTraining.accuracy(tuned.bundle(), heldOut),
                    q.minGain());
        } else {
            t = new TargetedMetric("test accuracy", now.accuracy(), next.accuracy(), 0);
        }
        return gate(sc, t, tuned.bundle(), dir, o);
    }

    /**
     * Full fine-tuning of {@code model} with {@code c} (a typed copy: the repair's changes) into
     * {@code dir}/candidate; {@code images} null loads what {@code c} names.
     */
    private static FinetuneWorkflow.Result continueFrom(RunConfig c, Path model, Sessions.Images images, RunDir dir,
                                                        Reporter o) {
        RunConfig candidate = c.withFinetune(c.finetune().withBase(model.toString()).withRecipe("full"))
                .withOutput(dir.path().toString(), "candidate");
        return FinetuneWorkflow.run(candidate.resolve(), RunDir.create(dir.path(), "candidate"), o, images);
    }

    /** The gate's test images and both models' probabilities on them, each computed once. */
    private record Scored(ImageSet set, float[][] current, float[][] candidate) {
    }

    private static Scored score(ResolvedRun run, Path model, Path candidate, int perClass, Reporter o) {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded cur = ModelBundle.load(model, m);
            ImageSet test = EvalWorkflow.split(cur, run.data().name(), Dataset.TEST, dataDirs(run), o);
            ImageSet set = perClass > 0 ? Subsets.perClass(test, perClass, run.config().training().seed()) : test;
            return new Scored(set, new Predictor(cur, m, 256).probabilities(set),
                    new Predictor(ModelBundle.load(candidate, m), m, 256).probabilities(set));
        }
    }

    private static Decision gate(Scored sc, TargetedMetric t, Path candidate, RunDir dir, Reporter o) {
        Decision d = RegressionGate.defaults().decide(sc.set().labels(), LabelRepair.argmax(sc.current()),
                LabelRepair.argmax(sc.candidate()), sc.set().classes(), t);
        dir.write("gate.txt", d.report());
        o.block(d.report());
        o.line(String.format(Locale.ROOT, "%s %.4f -> %.4f, accuracy %.4f -> %.4f: %s (candidate kept at %s)", t.name(),
                t.before(), t.after(), d.accuracyBefore(), d.accuracyAfter(), d.accepted() ? "ACCEPTED" : "rejected",
                candidate));
        return d;
    }

    /** 1 - recall per class of {@code model} on {@code val}. */
    private static double[] classErrors(Path model, ImageSet val) {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = ModelBundle.load(model, m);
            Evaluation e = Evaluation.of(new Predictor(b, m, 256).probabilities(val), val.labels(), b.info().classes(),
                    15, 0, 0);
            return e.perClass().stream().mapToDouble(r -> 1 - r.recall()).toArray();
        }
    }

    private static String format(List<String> names, double[] v) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            out.add(String.format(Locale.ROOT, "%s %.2f", names.get(i), v[i]));
        }
        return out.toString();
    }
}
