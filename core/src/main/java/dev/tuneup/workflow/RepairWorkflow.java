package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.config.RunConfig;
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
import dev.tuneup.repair.Resample;
import dev.tuneup.repair.TargetedAugment;
import dev.tuneup.repair.UserLabels;
import dev.tuneup.spec.SpecArgs;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunStatus;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.Lineage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tuneup repair}: continue fine-tuning a bundle to fix a measured weakness, mix the candidate
 * with the current model in weight space (WiSE-FT) and accept a mix only through the regression gate.
 * Every choice (what to target, the mixing weight, the verdict) is made on the selection split, the
 * run's validation images; the test split is evaluated once, after the decision, and only reported.
 * {@code AUGMENT}: augmentation aimed at the weakest corruptions (targeted metric: mean corruption
 * accuracy). {@code REWEIGHT}: oversample the classes with the highest error (the weakest class's
 * recall). {@code FEEDBACK}: users' labels, from a CSV of training-image sources (accuracy must not
 * fall) or from a serve log (accuracy on held-out user labels). {@code AUTO} picks one from the
 * model's own evaluation and says why.
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
     * @param aim         augment: how many weakest corruptions, and replay or consistency training
     * @param perClass    test images per class for the report after the decision (0 = all)
     * @param minGain     required gain of the targeted metric
     */
    public record Request(Path model, Strategy strategy, Path feedbackCsv, UserLabels.Source userLabels,
                          int feedbackWeight, Aim aim, int perClass, double minGain) {
        public Request {
            if (strategy == Strategy.FEEDBACK && (feedbackCsv == null) == (userLabels == null)) {
                throw new TuneupException("repair by feedback needs either corrections (a CSV) or a serve log, not"
                        + " both or neither", "pass --feedback corrections.csv or --db feedback.db (from tuneup serve)");
            }
        }
    }

    /**
     * How a repair ended.
     *
     * @param decision    the gate's verdict on the selection split, for the chosen mix
     * @param alpha       the chosen mixing weight (1 = the candidate alone)
     * @param bundle      the chosen model (kept whether accepted or not)
     * @param testBefore  the current model's test accuracy, measured once after the decision
     * @param testAfter   the chosen model's test accuracy, measured once after the decision
     */
    public record Result(Strategy strategy, Decision decision, double alpha, Path bundle, double testBefore,
                         double testAfter) {
        public boolean accepted() {
            return decision.accepted();
        }
    }

    private RepairWorkflow() {
    }

    public static Result run(ResolvedRun run, Request q, Reporter reporter) throws IOException {
        RunConfig c = run.config();
        RunDir dir = RunDir.create(Path.of(c.output().dir()), c.output().name() + "-repair");
        return Tracked.run(dir, RunKind.REPAIR, List.of(Lineage.to(Lineage.SOURCE, q.model())),
                () -> repair(run, q, dir, reporter), RepairWorkflow::outcome);
    }

    /** A repair's end for run.json and the store: the verdict, its numbers and the bundle it judged. */
    static Tracked.Outcome outcome(Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accepted", r.accepted() ? 1.0 : 0.0);
        m.put("alpha", r.alpha());
        m.put("test_accuracy_before", r.testBefore());
        m.put("test_accuracy_after", r.testAfter());
        return new Tracked.Outcome(RunStatus.FINISHED, (r.accepted() ? "accepted" : "rejected: " + String.join("; ",
                r.decision().reasons())) + " (" + r.strategy().name().toLowerCase(Locale.ROOT) + ")", m,
                List.of(Lineage.to(r.accepted() ? Lineage.ACCEPTED : Lineage.REJECTED, r.bundle())));
    }

    private static Result repair(ResolvedRun run, Request q, RunDir dir, Reporter reporter) throws IOException {
        RunConfig c = run.config();
        reporter.line("repair (" + q.strategy().name().toLowerCase(Locale.ROOT) + ") -> " + dir.path());
        Reporter o = reporter.logTo(dir);
        Strategy chosen = q.strategy();
        if (chosen == Strategy.AUTO && (q.feedbackCsv() != null || q.userLabels() != null)) {
            chosen = Strategy.FEEDBACK;
            o.line("auto: corrections were given, so the repair learns from them (feedback)");
        }
        Sessions.Images images = images(run, q.model(), dir, o);
        EvalRun.Report before = null;
        if (chosen == Strategy.AUTO) {
            before = evaluate(q.model(), images.val(), run, o);
            chosen = choose(before, o);
        }
        if (chosen == Strategy.AUGMENT) {
            return augment(run, images, q.model(), before, null, q.aim(), q.perClass(), q.minGain(), dir, o);
        }
        return onData(run, images, q, chosen, dir, o);
    }

    /**
     * The run's images, checked to be the bundle's classes; what each split is used for is said and
     * written to splits.json (the selection split chooses, the test split is only reported).
     */
    public static Sessions.Images images(ResolvedRun run, Path model, RunDir dir, Reporter o) {
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(run.config()));
        List<String> classes;
        dev.tuneup.data.Fit fit;
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Info info = ModelBundle.load(model, m).info();
            classes = info.classes();
            fit = info.preprocessing().fit();
        }
        Sessions.Images images = Sessions.images(run, LoadOptions.defaults(), o, fit);
        if (!classes.equals(images.train().classes())) {
            throw new TuneupException("the bundle's classes " + classes + " differ from the data's "
                    + images.train().classes(), "repair with the config (data and data.classes) the bundle was trained on");
        }
        if (images.test() == null) {
            throw new TuneupException("repair reports the repaired model on the test split, and " + images.name()
                    + " has none loaded", "set data.use_test: true and use a data set with a test split");
        }
        Map<String, Object> used = new LinkedHashMap<>();
        used.put("train", split("continued fine-tuning", images.train()));
        used.put("selection", split("validation split: targets, mixing weight and the gate's verdict",
                images.val()));
        used.put("test", split("read once, after the decision, and only reported", images.test()));
        dir.writeJson("splits.json", used);
        o.line(String.format(Locale.ROOT, "splits: train %d (fine-tuning), selection %d (every choice and the gate),"
                + " test %d (reported once, after the decision)", images.train().size(), images.val().size(),
                images.test().size()));
        return images;
    }

    /** One entry of splits.json: what a split was used for, its size and content hash. */
    static Map<String, Object> split(String use, ImageSet set) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("use", use);
        m.put("images", set.size());
        m.put("sha256", set.contentHash());
        return m;
    }

    /** auto: the gap that costs more accuracy decides, corruption (augment) or the weakest class (reweight). */
    static Strategy choose(EvalRun.Report r, Reporter o) {
        double clean = r.clean().accuracy();
        double corruptionGap = clean - r.meanCorruptionAccuracy();
        double worst = r.clean().perClass().stream().mapToDouble(ClassMetrics::recall).min().orElse(clean);
        double classGap = clean - worst;
        Strategy pick = corruptionGap >= classGap ? Strategy.AUGMENT : Strategy.REWEIGHT;
        o.line(String.format(Locale.ROOT, "auto (selection split): accuracy %.3f; under corruption %.3f (gap %.3f);"
                + " weakest class recall %.3f (gap %.3f) -> %s", clean, r.meanCorruptionAccuracy(), corruptionGap, worst,
                classGap, pick == Strategy.AUGMENT ? "augment for the weakest corruptions"
                        : "reweight toward the weakest classes"));
        return pick;
    }

    /**
     * What the corruption round aims at: the {@code weakest} corruptions, with {@code replay} of the
     * training images left to the run's own augmentation, or (with {@code jsd > 0}) AugMix's
     * consistency training: the loss sees clean images, two views with the targeted ops are pulled
     * toward them with this weight.
     */
    public record Aim(int weakest, double replay, double jsd) {
        /** {@code weakest} for every corruption the evaluation measures. */
        public static final int ALL = 0;

        public Aim {
            if (weakest < 0 || !(replay >= 0 && replay < 1) || !(jsd >= 0) || jsd > 0 && replay > 0) {
                throw new TuneupException("repair aims at " + weakest + " corruptions with replay " + replay
                        + " and jsd " + jsd, "give a number of corruptions (--weakest; 0 = all), a replay share in"
                        + " [0, 1) (--replay) or a jsd weight (--jsd, with --replay 0: the clean view is the replay)");
            }
        }

        /**
         * The corruptions to aim at: those of {@code measured} by mean accuracy over severities, weakest first,
         * the {@link #weakest} of them or all.
         */
        List<String> targets(List<EvalRun.CorruptionResult> measured) {
            Map<String, double[]> byCorruption = new LinkedHashMap<>();
            measured.forEach(r -> {
                double[] s = byCorruption.computeIfAbsent(r.corruption(), k -> new double[2]);
                s[0] += r.accuracy();
                s[1]++;
            });
            return byCorruption.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue((a, b) -> Double.compare(a[0] / a[1], b[0] / b[1])))
                    .limit(weakest == ALL ? Long.MAX_VALUE : weakest).map(Map.Entry::getKey).toList();
        }

        /** The default: every corruption, half the images replayed (docs/repair.md). */
        public static Aim defaults() {
            return new Aim(ALL, DEFAULT_REPLAY, 0);
        }

        /** The augmentation spec that adds the targeted ops to {@code base}. */
        String spec(String base, List<String> targets) {
            return jsd > 0 ? TargetedAugment.consistency(base, targets, jsd) : TargetedAugment.spec(base, targets, replay);
        }

        String describe() {
            return jsd > 0 ? "consistency training (jsd weight " + SpecArgs.num(jsd) + "): the loss sees clean"
                    + " images, two views with the targeted ops are pulled toward them"
                    : String.format(Locale.ROOT, "%.0f%% of the images replayed without the targeted ops", 100 * replay);
        }
    }

    /** The default share of replayed (clean) training images in corruption repair. */
    public static final double DEFAULT_REPLAY = 0.5;

    /**
     * The corruption round, also quickstart's. {@code before} is the current model's evaluation on
     * the selection split with corruptions at severities 1, 3, 5, or null to run it; {@code testBefore}
     * the same (every corruption at severities 1, 3, 5, the run's seed) on the test images this round
     * reports ({@code perClass} per class of the test split, drawn with the run's seed), or null: it is
     * reused only where the current model's plain predictions on those images give its accuracy, else
     * evaluated again.
     */
    public static Result augment(ResolvedRun run, Sessions.Images loaded, Path model, EvalRun.Report before,
                                 EvalRun.Report testBefore, Aim aim, int perClass, double minGain, RunDir dir,
                                 Reporter o) throws IOException {
        HeldOut test = new HeldOut(loaded.test(), o);
        Sessions.Images images = HeldOut.strip(loaded);
        EvalRun.Report current = before != null ? before : evaluate(model, images.val(), run, o);
        List<String> targets = aim.targets(current.corruptions());
        String aug = aim.spec(run.config().augment().train(), targets);
        o.line("2. continue fine-tuning aimed at " + (aim.weakest() == Aim.ALL ? "every corruption, weakest first "
                : "the weakest corruptions ") + targets + ", " + aim.describe() + ": "
                + aug);
        ResolvedRun changed = run.config().withAugment(aug).resolve();
        Sessions.Images withAug = images.with(images.train(), images.val(), null).withAugment(changed.augment());
        FinetuneWorkflow.Result tuned = continueFrom(changed.config(), model, withAug, dir, o);
        o.line("3. mix the candidate with the current model and judge each mix on the selection split");
        EvalRun.Options eo = options(run, 0);
        Selection.Target target = new Selection.Target() {
            @Override
            public String name() {
                return "mean corruption accuracy";
            }

            @Override
            public double of(ModelBundle.Loaded m, float[][] probs) {
                try (NDManager scope = NDManager.newBaseManager()) {
                    return EvalRun.run(m, "selection", images.val(), null, null, eo, scope, (d, t) -> { })
                            .meanCorruptionAccuracy();
                }
            }

            @Override
            public double current(ModelBundle.Loaded m, float[][] probs) {
                return current.meanCorruptionAccuracy(); // step 1 measured it on these images
            }
        };
        Selection.Result sel = Selection.choose(model, tuned.bundle(), images.val(), target, minGain, run.gate(), dir,
                o);
        return finish(Strategy.AUGMENT, model, sel, test, images.val().size(), perClass, run, true, testBefore, dir, o);
    }

    /** A model's evaluation on {@code set}, clean and under every corruption at severities 1, 3, 5. */
    private static EvalRun.Report evaluate(Path model, ImageSet set, ResolvedRun run, Reporter o) {
        o.line("1. evaluate the current model on the selection split, clean and under corruption");
        try (NDManager m = NDManager.newBaseManager()) {
            return EvalRun.run(ModelBundle.load(model, m), "selection", set, null, null, options(run, 0), m,
                    (d, t) -> { });
        }
    }

    private static EvalRun.Options options(ResolvedRun run, int bootstrap) {
        return new EvalRun.Options(Tta.NONE, Corruption.parse("all"), List.of(1, 3, 5), run.config().training().seed(),
                bootstrap);
    }

    /** reweight or feedback: change the training data, continue fine-tuning, mix and gate on the selection split. */
    private static Result onData(ResolvedRun run, Sessions.Images images, Request q, Strategy strategy, RunDir dir,
                                 Reporter o) {
        HeldOut test = new HeldOut(images.test(), o);
        Sessions.Images loaded = HeldOut.strip(images);
        ImageSet val = loaded.val();
        Sessions.Images changed;
        Selection.Target target;
        double minGain = q.minGain();
        if (strategy == Strategy.REWEIGHT) {
            double[] error = classErrors(q.model(), val);
            ImageSet over = Resample.oversample(loaded.train(), error, 3);
            o.line(String.format(Locale.ROOT, "selection-split error per class %s: %d training images become %d",
                    format(val.classes(), error), loaded.train().size(), over.size()));
            changed = loaded.with(over, val, loaded.test());
            int worst = 0;
            for (int k = 1; k < error.length; k++) {
                worst = error[k] > error[worst] ? k : worst;
            }
            int w = worst;
            target = named("recall of the weakest class, " + val.classes().get(w), (m, p) -> recall(p, val.labels(), w));
        } else if (q.userLabels() != null) {
            FeedbackTraining.Split split = FeedbackTraining.prepare(q.model(), q.userLabels(), loaded,
                    q.feedbackWeight(), o);
            changed = split.images();
            ImageSet held = split.heldOut();
            target = named("accuracy on " + held.size() + " held-out user-labelled images",
                    (m, p) -> FeedbackTraining.accuracy(m, held));
        } else {
            Resample.Corrected fixed = Resample.corrections(loaded.train(), q.feedbackCsv());
            o.line(fixed.changed() + " training labels corrected from " + q.feedbackCsv());
            changed = loaded.with(fixed.set(), val, loaded.test());
            target = named("selection accuracy", (m, p) -> LabelRepair.accuracy(LabelRepair.argmax(p), val.labels()));
            minGain = 0;
        }
        FinetuneWorkflow.Result tuned = continueFrom(run.config(), q.model(), changed, dir, o);
        Selection.Result sel = Selection.choose(q.model(), tuned.bundle(), val, target, minGain, run.gate(), dir, o);
        return finish(strategy, q.model(), sel, test, val.size(), q.perClass(), run, false, null, dir, o);
    }

    private static Selection.Target named(String name, java.util.function.ToDoubleBiFunction<ModelBundle.Loaded,
            float[][]> f) {
        return new Selection.Target() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double of(ModelBundle.Loaded m, float[][] probs) {
                return f.applyAsDouble(m, probs);
            }
        };
    }

    private static double recall(float[][] probs, int[] labels, int k) {
        int[] p = LabelRepair.argmax(probs);
        int n = 0;
        int hit = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == k) {
                n++;
                hit += p[i] == k ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : (double) hit / n;
    }

    /**
     * Full fine-tuning of {@code model} with {@code c} (a typed copy: the repair's changes) on
     * {@code images} into {@code dir}/candidate, without testing it.
     */
    private static FinetuneWorkflow.Result continueFrom(RunConfig c, Path model, Sessions.Images images, RunDir dir,
                                                        Reporter o) {
        RunConfig candidate = c.withFinetune(c.finetune().withBase(model.toString()).withRecipe("full"))
                .withOutput(dir.path().toString(), "candidate");
        return FinetuneWorkflow.run(candidate.resolve(), RunDir.create(dir.path(), "candidate"), o,
                HeldOut.strip(images)); // the test split waits until after the decision
    }

    /**
     * After the decision: the verdict (gate.txt), then the test split read once for both models and
     * reported beside it; nothing is chosen from it.
     */
    private static Result finish(Strategy strategy, Path model, Selection.Result sel, HeldOut held, int selection,
                                 int perClass, ResolvedRun run, boolean corruptions, EvalRun.Report testBefore,
                                 RunDir dir, Reporter o) {
        Decision d = sel.chosen().decision();
        StringBuilder gate = new StringBuilder();
        gate.append(String.format(Locale.ROOT, "Decided on the selection split (%d validation images); mixing weight"
                + " alpha %.2f (WiSE-FT: alpha x candidate + (1 - alpha) x current) chosen from %s%n",
                selection, sel.chosen().alpha(), java.util.Arrays.toString(Selection.ALPHAS)));
        gate.append(d.report());
        ImageSet all = held.after(d);
        ImageSet test = perClass > 0 ? Subsets.perClass(all, perClass, run.config().training().seed()) : all;
        double[] acc = new double[2];
        double[] mca = {Double.NaN, Double.NaN};
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded[] loaded = {ModelBundle.load(model, m), ModelBundle.load(sel.bundle(), m)};
            for (int k = 0; k < 2; k++) {
                if (corruptions && k == 0 && sameImages(testBefore, loaded[0], test, m)) {
                    acc[0] = testBefore.clean().accuracy();
                    mca[0] = testBefore.meanCorruptionAccuracy();
                } else if (corruptions) {
                    EvalRun.Report r = EvalRun.run(loaded[k], "test", test, null, null, options(run, 0), m, (x, y) -> { });
                    acc[k] = r.clean().accuracy();
                    mca[k] = r.meanCorruptionAccuracy();
                } else {
                    acc[k] = LabelRepair.accuracy(LabelRepair.argmax(new Predictor(loaded[k], m, 256)
                            .probabilities(test)), test.labels());
                }
            }
        }
        gate.append(String.format(Locale.ROOT, "Test split, read once after the decision (%d images; reported, never"
                + " used to choose): accuracy %.4f -> %.4f%s%n", test.size(), acc[0], acc[1], corruptions
                ? String.format(Locale.ROOT, ", mean corruption accuracy %.4f -> %.4f", mca[0], mca[1]) : ""));
        dir.write("gate.txt", gate.toString());
        Map<String, Double> tested = new LinkedHashMap<>();
        tested.put("current", acc[0]);
        tested.put("repaired", acc[1]);
        GateFile.write(dir, d, sel.chosen().alpha(), sel.bundle(), tested);
        o.block(gate.toString());
        o.line(String.format(Locale.ROOT, "%s %.4f -> %.4f on the selection split at alpha %.2f: %s (model kept at %s)",
                sel.target(), sel.current(), sel.chosen().target(),
                sel.chosen().alpha(), d.accepted() ? "ACCEPTED" : "rejected", sel.bundle()));
        return new Result(strategy, d, sel.chosen().alpha(), sel.bundle(), acc[0], acc[1]);
    }

    /**
     * Whether {@code r} can stand for the current model's evaluation on {@code test}: the same number of
     * images, and the model's plain predictions on them (a second, cheap pass) give its accuracy.
     */
    private static boolean sameImages(EvalRun.Report r, ModelBundle.Loaded current, ImageSet test, NDManager m) {
        if (r == null || r.clean().n() != test.size()) {
            return false;
        }
        float[][] p = new Predictor(current, m, 256).probabilities(test);
        return LabelRepair.accuracy(LabelRepair.argmax(p), test.labels()) == r.clean().accuracy();
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
