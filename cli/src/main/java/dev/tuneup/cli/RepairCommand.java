package dev.tuneup.cli;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.Subsets;
import dev.tuneup.evaluate.ClassMetrics;
import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.evaluate.Evaluation;
import dev.tuneup.evaluate.Tta;
import dev.tuneup.finetune.FineTuner;
import dev.tuneup.repair.Decision;
import dev.tuneup.repair.LabelRepair;
import dev.tuneup.repair.RegressionGate;
import dev.tuneup.repair.Resample;
import dev.tuneup.repair.TargetedAugment;
import dev.tuneup.repair.TargetedMetric;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.Runs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tuneup repair}: continue fine-tuning a bundle to fix a measured weakness, and accept the
 * candidate only through the regression gate. {@code augment}: augmentation aimed at the weakest
 * corruptions (targeted metric: mean corruption accuracy). {@code reweight}: oversample the classes
 * with the highest validation error (targeted metric: the worst class's test recall).
 * {@code feedback}: user corrections, from a CSV of training-image sources (targeted metric: test
 * accuracy must not fall) or from a {@code tuneup serve} log (targeted metric: accuracy on held-out
 * corrections). {@code auto} picks one from the model's own evaluation and says why.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Repair a bundle by continued fine-tuning, accepted only through the regression gate"
                + " (docs/repair.md): --strategy auto (chosen from the evaluation), augment (weakest corruptions), reweight"
                + " (weakest classes) or feedback (--feedback corrections.csv, or --db from tuneup serve). Label errors"
                + " are found and repaired with tuneup label-issues --fix.")
public final class RepairCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "The bundle to repair.")
    Path model;

    @Option(names = "--strategy", defaultValue = "auto",
            description = "auto, augment, reweight or feedback (default ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--feedback", paramLabel = "CSV", description = "Corrections (source,label) for --strategy feedback.")
    Path feedback;

    @Option(names = "--db", paramLabel = "FILE|JDBC-URL",
            description = "A tuneup serve log whose corrections feed --strategy feedback.")
    String db;

    @Option(names = "--feedback-weight", defaultValue = "5",
            description = "Times each served correction is repeated in training (default ${DEFAULT-VALUE}).")
    int feedbackWeight;

    @Mixin
    ConfigOptions configs;

    @Option(names = "--weakest", defaultValue = "3", description = "How many weakest corruptions to target (augment).")
    int weakest;

    @Option(names = "--eval-per-class", defaultValue = "200", description = "Test images per class for the gate.")
    int perClass;

    @Option(names = "--min-gain", defaultValue = "0.01", description = "Required gain of the targeted metric.")
    double minGain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!List.of("auto", "augment", "reweight", "feedback").contains(strategy)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--strategy must be auto, augment,"
                    + " reweight or feedback; label errors are repaired with tuneup label-issues --fix drop|relabel");
        }
        if (strategy.equals("feedback") && (feedback == null) == (db == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--strategy feedback needs either"
                    + " --feedback corrections.csv or --db feedback.db (from tuneup serve)");
        }
        RunConfig c = configs.load();
        PrintWriter o = spec.commandLine().getOut();
        RunDir dir = RunDir.create(Path.of(c.output().dir()), c.output().name() + "-repair");
        o.println("repair (" + strategy + ") -> " + dir.path());
        EvalRun.Report before = null;
        String chosen = strategy;
        if (strategy.equals("auto")) {
            if (feedback != null || db != null) {
                chosen = "feedback";
                TrainRunner.say(o, dir, "auto: corrections were given, so the repair learns from them (feedback)");
            } else {
                before = evaluate(c, model, perClass, dir, o);
                chosen = choose(before, dir, o);
            }
        }
        if (chosen.equals("augment")) {
            run(c, model, before, weakest, perClass, minGain, dir, o);
        } else {
            runOnData(c, model, chosen, feedback, db, feedbackWeight, perClass, minGain, dir, o);
        }
        return 0;
    }

    /** auto: the gap that costs more accuracy decides, corruption (augment) or the weakest class (reweight). */
    static String choose(EvalRun.Report r, RunDir dir, PrintWriter o) {
        double clean = r.clean().accuracy();
        double corruptionGap = clean - r.meanCorruptionAccuracy();
        double worst = r.clean().perClass().stream().mapToDouble(ClassMetrics::recall).min().orElse(clean);
        double classGap = clean - worst;
        String pick = corruptionGap >= classGap ? "augment" : "reweight";
        TrainRunner.say(o, dir, String.format(Locale.ROOT, "auto: accuracy %.3f; under corruption %.3f (gap %.3f);"
                + " weakest class recall %.3f (gap %.3f) -> %s", clean, r.meanCorruptionAccuracy(), corruptionGap, worst,
                classGap, pick.equals("augment") ? "augment for the weakest corruptions"
                        : "reweight toward the weakest classes"));
        return pick;
    }

    /**
     * The corruption round; shared with quickstart. {@code before} is the current model's evaluation
     * with corruptions at severities 1, 3, 5 on {@code perClass} images per class, or null to run it.
     */
    static Decision run(RunConfig c, Path model, EvalRun.Report before, int weakest, int perClass, double minGain,
                        RunDir dir, PrintWriter o) throws IOException {
        List<Path> dirs = c.data().dataDirs().stream().map(Path::of).toList();
        EvalRun.Options eo = options(c);
        if (before == null) {
            before = evaluate(c, model, perClass, dir, o);
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
        String aug = TargetedAugment.spec(c.augment().train(), targets);
        TrainRunner.say(o, dir, "2. continue fine-tuning aimed at the weakest corruptions " + targets + ": " + aug);
        FineTuner.Result tuned = continueFrom(c, model, List.of("augment.train=" + aug), null, dir, o);
        TrainRunner.say(o, dir, "3. evaluate the candidate the same way");
        EvalRun.Report after = EvalCommand.run(tuned.bundle(), c.data().name(), Dataset.TEST, null, eo, perClass, dirs,
                RunDir.create(dir.path(), "eval-after"), o);
        TargetedMetric t = new TargetedMetric("mean corruption accuracy", before.meanCorruptionAccuracy(),
                after.meanCorruptionAccuracy(), minGain);
        return gate(score(c, model, tuned.bundle(), perClass, dir, o), t, tuned.bundle(), dir, o);
    }

    /** The current model on {@code perClass} test images per class, clean and under corruption at severities 1, 3, 5. */
    static EvalRun.Report evaluate(RunConfig c, Path model, int perClass, RunDir dir, PrintWriter o) throws IOException {
        TrainRunner.say(o, dir, "1. evaluate the current model under corruption");
        List<Path> dirs = c.data().dataDirs().stream().map(Path::of).toList();
        return EvalCommand.run(model, c.data().name(), Dataset.TEST, null, options(c), perClass, dirs,
                RunDir.create(dir.path(), "eval-before"), o);
    }

    private static EvalRun.Options options(RunConfig c) {
        return new EvalRun.Options(Tta.NONE, Corruption.parse("all"), List.of(1, 3, 5), c.training().seed(), 0);
    }

    /** reweight or feedback: change the training data, continue fine-tuning, gate on the test set. */
    static Decision runOnData(RunConfig c, Path model, String strategy, Path feedback, String db, int feedbackWeight,
                              int perClass, double minGain, RunDir dir, PrintWriter o) {
        Runs.Images loaded = Runs.images(c, LoadOptions.defaults(), line -> TrainRunner.say(o, dir, line));
        Runs.Images changed;
        ImageSet heldOut = null;
        if (strategy.equals("reweight")) {
            double[] error = classErrors(model, loaded.val());
            ImageSet over = Resample.oversample(loaded.train(), error, 3);
            TrainRunner.say(o, dir, String.format(Locale.ROOT, "validation error per class %s: %d training images"
                    + " become %d", format(loaded.val().classes(), error), loaded.train().size(), over.size()));
            changed = new Runs.Images(loaded.name(), over, loaded.val(), loaded.test(), loaded.augment());
        } else if (db != null) {
            FeedbackRepair.Split split = FeedbackRepair.prepare(model, db, loaded, feedbackWeight, dir, o);
            changed = split.images();
            heldOut = split.heldOut();
        } else {
            Resample.Corrected fixed = Resample.corrections(loaded.train(), feedback);
            TrainRunner.say(o, dir, fixed.changed() + " training labels corrected from " + feedback);
            changed = new Runs.Images(loaded.name(), fixed.set(), loaded.val(), loaded.test(), loaded.augment());
        }
        FineTuner.Result tuned = continueFrom(c, model, List.of(), changed, dir, o);
        Scored sc = score(c, model, tuned.bundle(), perClass, dir, o);
        Evaluation now = Evaluation.of(sc.current(), sc.set().labels(), sc.set().classes(), 15, 0, 0);
        Evaluation next = Evaluation.of(sc.candidate(), sc.set().labels(), sc.set().classes(), 15, 0, 0);
        TargetedMetric t;
        if (strategy.equals("reweight")) {
            ClassMetrics worst = now.perClass().stream().min(java.util.Comparator.comparingDouble(ClassMetrics::recall))
                    .orElseThrow();
            t = new TargetedMetric("recall of the weakest class, " + worst.name(), worst.recall(),
                    next.classMetrics(worst.name()).recall(), minGain);
        } else if (heldOut != null) {
            t = new TargetedMetric("accuracy on " + heldOut.size() + " held-out user-labelled images",
                    FeedbackRepair.accuracy(model, heldOut), FeedbackRepair.accuracy(tuned.bundle(), heldOut), minGain);
        } else {
            t = new TargetedMetric("test accuracy", now.accuracy(), next.accuracy(), 0);
        }
        return gate(sc, t, tuned.bundle(), dir, o);
    }

    /** @param images the training images to use, or null for what the config names */
    private static FineTuner.Result continueFrom(RunConfig c, Path model, List<String> more, Runs.Images images,
                                                 RunDir dir, PrintWriter o) {
        List<String> sets = new ArrayList<>(List.of("finetune.base=" + model, "finetune.recipe=full",
                "output.dir=" + dir.path(), "output.name=candidate"));
        sets.addAll(more);
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(c));
        RunConfig cc = ConfigLoader.load(dir.path().resolve(RunDir.CONFIG), sets); // the same run, the repair's changes
        return FinetuneCommand.run(cc, RunDir.create(dir.path(), "candidate"), o, images);
    }

    /** The gate's test images and both models' probabilities on them, each computed once. */
    private record Scored(ImageSet set, float[][] current, float[][] candidate) {
    }

    private static Scored score(RunConfig c, Path model, Path candidate, int perClass, RunDir dir, PrintWriter o) {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded cur = ModelBundle.load(model, m);
            List<Path> dirs = c.data().dataDirs().stream().map(Path::of).toList();
            ImageSet test = EvalCommand.split(cur, c.data().name(), Dataset.TEST, dirs, dir, o);
            ImageSet set = perClass > 0 ? Subsets.perClass(test, perClass, c.training().seed()) : test;
            return new Scored(set, new Predictor(cur, m, 256).probabilities(set),
                    new Predictor(ModelBundle.load(candidate, m), m, 256).probabilities(set));
        }
    }

    private static Decision gate(Scored sc, TargetedMetric t, Path candidate, RunDir dir, PrintWriter o) {
        Decision d = RegressionGate.defaults().decide(sc.set().labels(), LabelRepair.argmax(sc.current()),
                LabelRepair.argmax(sc.candidate()), sc.set().classes(), t);
        dir.write("gate.txt", d.report());
        o.print(d.report());
        TrainRunner.say(o, dir, String.format(Locale.ROOT, "%s %.4f -> %.4f, accuracy %.4f -> %.4f: %s (candidate kept at"
                        + " %s)", t.name(), t.before(), t.after(), d.accuracyBefore(), d.accuracyAfter(),
                d.accepted() ? "ACCEPTED" : "rejected", candidate));
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
