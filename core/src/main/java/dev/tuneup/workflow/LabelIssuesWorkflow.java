package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LabelNoise;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.data.Subsets;
import dev.tuneup.repair.ConfidentLearning;
import dev.tuneup.repair.Decision;
import dev.tuneup.repair.Issue;
import dev.tuneup.repair.LabelIssues;
import dev.tuneup.repair.LabelRepair;
import dev.tuneup.repair.Method;
import dev.tuneup.repair.Ranking;
import dev.tuneup.repair.TargetedMetric;
import dev.tuneup.report.Gallery;
import dev.tuneup.report.TileGrid;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.Lineage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code tuneup label-issues}: out-of-sample probabilities by cross-fitting, confident learning, the
 * issues as CSV and a picture, and (when asked) a repair: train on the fixed labels with the same
 * config and compare it with the model trained on the labels as given: the regression gate decides
 * on the validation images, and both are tested once on the test split afterwards.
 */
public final class LabelIssuesWorkflow {
    /**
     * What to look for and what to do.
     *
     * @param fixes      the repairs to try (each trains a candidate; the gate and the selection split
     *                   choose among them); empty = find only
     * @param confidence from which out-of-sample probability {@code relabel_confident} relabels
     * @param givenWeight {@code soft}: the weight of the given label in the targets of the images not flagged
     *                   ({@link LabelRepair#soften}; 1 = they train on their labels)
     * @param rebalance  bring a set that lost images back to the original size by the estimated true class
     *                   shares ({@link LabelRepair#rebalance}): the same steps per epoch as the model it replaces
     * @param noise      for experiments: label noise to inject first (seeded), a rate (symmetric) or
     *                   class pairs ({@link LabelNoise#inject}), measuring detection against the true
     *                   labels; null or blank = off
     * @param foldRun    the config the cross-fitting folds train with (same data; e.g. a stronger model or
     *                   more epochs than the model being repaired), or null for the run's own
     */
    public record Request(int folds, Method method, Ranking ranking, List<LabelRepair.Fix> fixes, double confidence,
                          double givenWeight, boolean rebalance, String noise, ResolvedRun foldRun) {
        public Request {
            fixes = fixes.stream().filter(f -> f != LabelRepair.Fix.NONE).distinct().toList();
        }

        public boolean injects() {
            return noise != null && !noise.isBlank();
        }
    }

    /**
     * @param detection    null when the true labels are unknown
     * @param chosen       the accepted fix with the best selection accuracy, or null when none passed
     * @param gate         the regression gate's verdict on the selection (validation) split for the chosen
     *                     fix (or, when none passed, the best rejected one); null without fixes
     * @param testAccuracy by model, measured after the decision: "as given", each fix, and "true labels"
     *                     and the shuffled control when known
     */
    public record Result(LabelIssues issues, LabelRepair.Detection detection, LabelRepair.Fix chosen,
                         Map<String, Double> testAccuracy, Decision gate, Path csv, Path picture) {
    }

    private LabelIssuesWorkflow() {
    }

    public static Result run(ResolvedRun run, Request q, Reporter reporter) throws IOException {
        return run(run, q, reporter, CrossFitting::outOfSample);
    }

    /** As above, the cross-fitting folds trained by {@code folds} (e.g. as Spark tasks, {@link DistributedFolds}). */
    public static Result run(ResolvedRun run, Request q, Reporter reporter, CrossFitting.OutOfSample folds)
            throws IOException {
        RunDir dir = RunDir.create(Path.of(run.config().output().dir()), run.config().output().name() + "-label-issues");
        return Tracked.run(dir, RunKind.LABEL_ISSUES, run.finetunes() ? List.of(Lineage.to(Lineage.BASE,
                Path.of(run.finetune().base()))) : List.of(), () -> labelIssues(run, q, dir, reporter, folds),
                LabelIssuesWorkflow::outcome);
    }

    private static Tracked.Outcome outcome(Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("label_issues", (double) r.issues().issues().size());
        m.put("estimated_noise", r.issues().estimatedNoise());
        if (r.gate() != null) {
            m.put("accepted", r.chosen() == null ? 0.0 : 1.0);
        }
        r.testAccuracy().forEach((k, v) -> m.put("test_accuracy_" + k.replace(' ', '_'), v));
        return new Tracked.Outcome(dev.tuneup.track.RunStatus.FINISHED, r.issues().issues().size() + " suspected label"
                + " errors" + (r.gate() == null ? "" : r.chosen() == null ? "; no fix passed the gate" : "; chosen fix "
                + r.chosen().id()), m, List.of());
    }

    private static Result labelIssues(ResolvedRun run, Request q, RunDir dir, Reporter reporter,
                                      CrossFitting.OutOfSample folds) throws IOException {
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(run.config()));
        reporter.line("label issues -> " + dir.path());
        Reporter say = reporter.logTo(dir);
        Sessions.Images images = Sessions.images(run, LoadOptions.defaults(), say);
        int[] truth = null;
        if (q.injects()) {
            LabelNoise.Noisy noisy = LabelNoise.inject(images.train(), q.noise(), run.config().training().seed());
            truth = noisy.trueLabels();
            images = images.withTrain(noisy.set());
            say.line(String.format(Locale.ROOT, "injected label noise (%s): %d of %d training labels flipped (%.1f%%)",
                    q.noise().trim(), noisy.flippedCount(), noisy.set().size(), 100.0 * noisy.flippedCount()
                    / noisy.set().size()));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            return find(run, images, truth, q, dir, manager, say, folds);
        }
    }

    /** @param truth the true training labels when known (noise injected), else null */
    private static Result find(ResolvedRun run, Sessions.Images images, int[] truth, Request q, RunDir dir,
                               NDManager manager, Reporter say, CrossFitting.OutOfSample folds) throws IOException {
        ImageSet train = images.train();
        HeldOut test = images.test() == null ? null : new HeldOut(images.test(), say);
        Sessions.Images work = HeldOut.strip(images);
        ResolvedRun foldRun = run;
        Sessions.Images foldImages = work;
        if (q.foldRun() != null) {
            foldRun = q.foldRun();
            // the images were loaded with the run's augmentation; the folds train with their own
            foldImages = work.withAugment(foldRun.augment());
            dir.write("fold-config.yaml", ConfigLoader.toYaml(foldRun.config()));
            String aug = foldImages.augment().toString();
            say.line("the cross-fitting folds train with their own config (fold-config.yaml); augmentation: "
                    + (aug.isEmpty() ? "none" : aug));
        }
        float[][] probs = folds.compute(foldRun, foldImages, q.folds(), dir, manager, say);
        LabelIssues li = ConfidentLearning.find(probs, train.labels(), q.method(), q.ranking());
        say.line(String.format(Locale.ROOT, "confident learning (%s, ranked by %s): %d suspected label errors of %d"
                + " (%.1f%%); estimated noise %.1f%%", q.method().id(), q.ranking().id(), li.issues().size(), train.size(),
                100.0 * li.issues().size() / train.size(), 100 * li.estimatedNoise()));
        LabelRepair.Detection det = truth == null ? null : LabelRepair.detection(li.indices(), train.labels(), truth);
        if (det != null) {
            say.line(String.format(Locale.ROOT, "against the true labels: %d of %d wrong labels caught; precision %.3f,"
                    + " recall %.3f, F1 %.3f", det.caught(), det.trulyWrong(), det.precision(), det.recall(), det.f1()));
        }
        dir.write("out-of-sample.csv", probabilities(probs, train, truth));
        Path csv = dir.path().resolve("label-issues.csv");
        dir.write("label-issues.csv", csv(li, train, truth));
        Path png = dir.path().resolve("label-issues.png");
        List<TileGrid.Tile> tiles = new ArrayList<>();
        List<Gallery.Item> items = new ArrayList<>();
        for (Issue is : li.issues().subList(0, Math.min(40, li.issues().size()))) {
            List<String> lines = List.of("given " + train.classes().get(is.givenLabel()),
                    "-> " + train.classes().get(is.suggestedLabel()), String.format(Locale.ROOT, "score %.3f", is.score()));
            tiles.add(new TileGrid.Tile(train.image(is.index()), TileGrid.id(train.source(is.index()), is.index()), lines));
            items.add(new Gallery.Item(train.image(is.index()), train.source(is.index()), is.index(), lines));
        }
        if (!tiles.isEmpty()) {
            TileGrid.write(png, "Most likely label errors (" + li.issues().size() + " found)", tiles, 10, 64);
            Gallery.write(dir.path().resolve("label-issues.json"), items);
        }
        say.line("label-issues.csv, label-issues.png, label-issues.json, out-of-sample.csv -> " + dir.path());
        Result found = new Result(li, det, null, Map.of(), null, csv, tiles.isEmpty() ? null : png);
        return q.fixes().isEmpty() ? found : repair(run, work, test, li, probs, truth, q, dir, manager, say, found);
    }

    /** A trained model: its bundle and its predicted classes on the selection split. */
    private record Model(String name, Path bundle, int[] val) {
    }

    /** A fix's model and the gate's verdict on it. */
    private record Candidate(LabelRepair.Fix fix, Model model, Decision decision) {
    }

    /**
     * Trains the model on the labels as given and one candidate per fix, lets the gate judge each on the
     * selection split and picks the accepted one with the best selection accuracy; with known true labels
     * also a model on them and one on shuffled labels (a control the gate must refuse). Only then is the
     * test split read, once, and every model's test accuracy reported.
     */
    private static Result repair(ResolvedRun run, Sessions.Images work, HeldOut test, LabelIssues li, float[][] probs,
                                 int[] truth, Request q, RunDir dir, NDManager manager, Reporter say, Result found) {
        ImageSet train = work.train();
        ImageSet val = work.val();
        Map<String, Object> used = new LinkedHashMap<>();
        used.put("train", RepairWorkflow.split("cross-fitting, then training every model (labels as given or fixed)",
                train));
        used.put("selection", RepairWorkflow.split("validation split: the gate's verdicts and the choice of fix", val));
        if (test != null) {
            used.put("test", Map.of("use", "read once, after the decision, and only reported", "images", test.size()));
        }
        dir.writeJson("splits.json", used);
        say.line("repair: " + q.fixes().stream().map(LabelRepair.Fix::id).toList() + "; the gate decides on the "
                + val.size() + " validation images, " + (test == null ? "and no test split is loaded (data.use_test)"
                : "the test split (" + test.size() + " images) is read after"));
        Model asGiven = train(run, work, train, "as-given", dir, manager, say);
        double before = LabelRepair.accuracy(asGiven.val(), val.labels());
        List<Candidate> candidates = new ArrayList<>();
        StringBuilder report = new StringBuilder("Decided on the selection split (" + val.size() + " validation"
                + " images)\n");
        for (LabelRepair.Fix fix : q.fixes()) {
            ImageSet fixed = fix == LabelRepair.Fix.SOFT ? LabelRepair.soften(train, li, probs, q.givenWeight())
                    : LabelRepair.apply(train, li, fix, q.confidence());
            int kept = fixed.size();
            if (q.rebalance() && kept < train.size()) {
                fixed = LabelRepair.rebalance(fixed, li, train.size(), run.config().training().seed());
            }
            say.line("candidate " + fix.id() + ": " + kept + " images kept" + (fixed.size() == kept ? ""
                    : ", rebalanced to " + fixed.size() + " by the estimated true class shares") + how(fix, li, q));
            ResolvedRun fixRun = fix == LabelRepair.Fix.FORWARD
                    ? run.withTraining(run.training().withNoiseMatrix(LabelRepair.forwardMatrix(li))) : run;
            Model m = train(fixRun, work, fixed, fix.id(), dir, manager, say);
            Decision d = decide(run, val, asGiven, m);
            candidates.add(new Candidate(fix, m, d));
            report.append(String.format(Locale.ROOT, "candidate %-18s %5d images kept, selection accuracy %.4f ->"
                    + " %.4f: %s%n", fix.id(), kept, before, d.accuracyAfter(), d.accepted() ? "accepted"
                    : "rejected " + d.reasons()));
        }
        java.util.Comparator<Candidate> bySelection = java.util.Comparator.comparingDouble(c -> c.decision()
                .accuracyAfter());
        Candidate best = candidates.stream().filter(c -> c.decision().accepted()).max(bySelection).orElse(null);
        Candidate shown = best != null ? best : candidates.stream().max(bySelection).orElseThrow();
        Decision decision = shown.decision();
        report.append(best == null ? "No fix passed the gate; the model on the labels as given stays. The best"
                + " candidate, " + shown.fix().id() + ":\n" : "Chosen: " + best.fix().id() + " (accepted, best selection"
                + " accuracy)\n").append(decision.report());
        List<Model> controls = new ArrayList<>();
        if (truth != null) {
            Model trueLabels = train(run, work, train.withLabels(truth, train.classes()), "true-labels", dir, manager, say);
            controls.add(trueLabels);
            // what a perfect repair would get from the gate: a reference for reading the candidates' verdicts
            Decision reference = decide(run, val, asGiven, trueLabels);
            report.append("Reference, trained on the true labels (a perfect repair): ").append(reference.accepted()
                    ? "accepted" : "rejected " + reference.reasons()).append(String.format(Locale.ROOT,
                    ", selection accuracy %.4f%n", reference.accuracyAfter()));
            // a deliberately harmful candidate: the gate must refuse a model trained on shuffled labels
            int[] shuffled = train.labels().clone();
            Subsets.shuffle(shuffled, new SplittableRandom(run.config().training().seed()));
            Model harmful = train(run, work, train.withLabels(shuffled, train.classes()), "shuffled", dir, manager, say);
            controls.add(harmful);
            Decision control = decide(run, val, asGiven, harmful);
            report.append("Control, trained on shuffled labels: ").append(control.accepted() ? "ACCEPTED (wrong!)"
                    : "rejected").append(' ').append(control.reasons()).append('\n');
        }
        Map<String, Double> acc = new LinkedHashMap<>();
        if (test != null) {
            ImageSet testSet = test.after(decision);
            List<Model> all = new ArrayList<>(List.of(asGiven));
            candidates.forEach(c -> all.add(c.model()));
            all.addAll(controls);
            for (Model m : all) {
                acc.put(m.name(), testAccuracy(m, testSet, manager));
            }
            report.append("Test split, read once after the decision (").append(testSet.size())
                    .append(" images; reported, never used to choose), accuracy of the model trained on labels:\n");
            acc.forEach((k, v) -> report.append(String.format(Locale.ROOT, "  %-18s %.4f%n", k, v)));
        }
        dir.write("gate.txt", report.toString());
        GateFile.write(dir, decision, null, null, acc);
        say.block(report.toString());
        return new Result(found.issues(), found.detection(), best == null ? null : best.fix(), acc, decision,
                found.csv(), found.picture());
    }

    /** What a fix that keeps every image does instead (empty for the others). */
    private static String how(LabelRepair.Fix fix, LabelIssues li, Request q) {
        if (fix == LabelRepair.Fix.FORWARD) {
            return ", labels as given, loss corrected by the estimated noise matrix";
        }
        if (fix != LabelRepair.Fix.SOFT) {
            return "";
        }
        String others = q.givenWeight() < 1 ? String.format(Locale.ROOT, ", the others on %.2f x their label + %.2f"
                + " x their probabilities", q.givenWeight(), 1 - q.givenWeight()) : "";
        return ", the " + li.issues().size() + " suspects trained on their out-of-sample probabilities" + others;
    }

    private static Decision decide(ResolvedRun run, ImageSet val, Model current, Model candidate) {
        int[] labels = val.labels();
        return run.gate().decide(labels, current.val(), candidate.val(), val.classes(), new TargetedMetric(
                "selection accuracy", LabelRepair.accuracy(current.val(), labels),
                LabelRepair.accuracy(candidate.val(), labels), 0.0));
    }

    /** Trains on {@code train} with the config (from scratch, or from finetune.base); predicts the selection split. */
    private static Model train(ResolvedRun run, Sessions.Images work, ImageSet train, String name, RunDir dir,
                               NDManager manager, Reporter say) {
        Path bundle = CrossFitting.train(run, work, train, RunDir.create(dir.path(), name), manager, say);
        return new Model(name.replace('-', ' '), bundle, predict(bundle, work.val(), manager));
    }

    private static int[] predict(Path bundle, ImageSet set, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            return LabelRepair.argmax(new Predictor(ModelBundle.load(bundle, m), m, 256).probabilities(set));
        }
    }

    private static double testAccuracy(Model m, ImageSet test, NDManager manager) {
        return LabelRepair.accuracy(predict(m.bundle(), test, manager), test.labels());
    }

    private static String csv(LabelIssues li, ImageSet train, int[] truth) {
        StringBuilder sb = new StringBuilder("rank,index,source,given,suggested,score,p_suggested"
                + (truth == null ? "" : ",wrong")
                + "\n");
        for (int r = 0; r < li.issues().size(); r++) {
            Issue is = li.issues().get(r);
            sb.append(r + 1).append(',').append(is.index()).append(',').append(csvField(train.source(is.index())))
                    .append(',').append(csvField(train.classes().get(is.givenLabel()))).append(',')
                    .append(csvField(train.classes().get(is.suggestedLabel()))).append(',')
                    .append(String.format(Locale.ROOT, "%.6f,%.6f", is.score(), is.suggestedProbability()));
            if (truth != null) {
                sb.append(',').append(truth[is.index()] != is.givenLabel());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Every training image's out-of-sample probabilities (cleanlab's {@code pred_probs}) with its given label. */
    private static String probabilities(float[][] probs, ImageSet train, int[] truth) {
        StringBuilder sb = new StringBuilder("index,source,given" + (truth == null ? "" : ",true"));
        for (String c : train.classes()) {
            sb.append(",p_").append(csvField(c));
        }
        sb.append('\n');
        for (int i = 0; i < probs.length; i++) {
            sb.append(i).append(',').append(csvField(train.source(i))).append(',').append(train.label(i));
            if (truth != null) {
                sb.append(',').append(truth[i]);
            }
            for (float p : probs[i]) {
                sb.append(',').append(String.format(Locale.ROOT, "%.6g", p));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
