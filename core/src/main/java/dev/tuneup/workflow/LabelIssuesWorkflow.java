package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
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
import dev.tuneup.report.TileGrid;
import dev.tuneup.track.RunDir;
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
     * @param noise for experiments: flip this fraction of training labels (seeded) first and measure
     *              detection against the true labels (0 = off)
     */
    public record Request(int folds, Method method, Ranking ranking, LabelRepair.Fix fix, double noise) {
    }

    /**
     * @param detection    null when the true labels are unknown
     * @param gate         the regression gate's verdict on the selection (validation) split, or null
     * @param testAccuracy by model, measured after the decision: "as given", "repaired", and "true
     *                     labels" and the shuffled control when known
     */
    public record Result(LabelIssues issues, LabelRepair.Detection detection, Map<String, Double> testAccuracy,
                         Decision gate, Path csv, Path picture) {
    }

    private LabelIssuesWorkflow() {
    }

    public static Result run(ResolvedRun run, Request q, Reporter reporter) throws IOException {
        RunDir dir = RunDir.create(Path.of(run.config().output().dir()), run.config().output().name() + "-label-issues");
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(run.config()));
        reporter.line("label issues -> " + dir.path());
        Reporter say = reporter.logTo(dir);
        Sessions.Images images = Sessions.images(run, LoadOptions.defaults(), say);
        int[] truth = null;
        if (q.noise() > 0) {
            LabelNoise.Noisy noisy = LabelNoise.symmetric(images.train(), q.noise(), run.config().training().seed());
            truth = noisy.trueLabels();
            images = new Sessions.Images(images.name(), noisy.set(), images.val(), images.test(), images.augment());
            say.line(String.format(Locale.ROOT, "injected symmetric label noise: %d of %d training labels flipped"
                    + " (%.1f%%)", noisy.flippedCount(), noisy.set().size(), 100.0 * noisy.flippedCount()
                    / noisy.set().size()));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            return find(run, images, truth, q, dir, manager, say);
        }
    }

    /** @param truth the true training labels when known (noise injected), else null */
    private static Result find(ResolvedRun run, Sessions.Images images, int[] truth, Request q, RunDir dir,
                               NDManager manager, Reporter say) throws IOException {
        ImageSet train = images.train();
        float[][] probs = CrossFitting.outOfSample(run, images, q.folds(), dir, manager, say);
        LabelIssues li = ConfidentLearning.find(probs, train.labels(), q.method(), q.ranking());
        say.line(String.format(Locale.ROOT, "confident learning (%s, ranked by %s): %d suspected label errors of %d"
                + " (%.1f%%); estimated noise %.1f%%", q.method().id(), q.ranking().id(), li.issues().size(), train.size(),
                100.0 * li.issues().size() / train.size(), 100 * li.estimatedNoise()));
        LabelRepair.Detection det = truth == null ? null : LabelRepair.detection(li.indices(), train.labels(), truth);
        if (det != null) {
            say.line(String.format(Locale.ROOT, "against the true labels: %d of %d wrong labels caught; precision %.3f,"
                    + " recall %.3f, F1 %.3f", det.caught(), det.trulyWrong(), det.precision(), det.recall(), det.f1()));
        }
        Path csv = dir.path().resolve("label-issues.csv");
        dir.write("label-issues.csv", csv(li, train, truth));
        Path png = dir.path().resolve("label-issues.png");
        List<TileGrid.Tile> tiles = new ArrayList<>();
        for (Issue is : li.issues().subList(0, Math.min(40, li.issues().size()))) {
            tiles.add(new TileGrid.Tile(train.image(is.index()), List.of("given " + train.classes().get(is.givenLabel()),
                    "-> " + train.classes().get(is.suggestedLabel()), String.format(Locale.ROOT, "score %.3f", is.score()))));
        }
        if (!tiles.isEmpty()) {
            TileGrid.write(png, "Most likely label errors (" + li.issues().size() + " found)", tiles, 10, 64);
        }
        say.line("label-issues.csv, label-issues.png -> " + dir.path());

        Map<String, Double> acc = new LinkedHashMap<>();
        Decision decision = null;
        if (q.fix() != LabelRepair.Fix.NONE && images.test() != null) {
            ImageSet fixed = LabelRepair.apply(train, li, q.fix());
            say.line("repair (" + q.fix().name().toLowerCase(Locale.ROOT) + "): training on " + fixed.size() + " images;"
                    + " the gate decides on the " + images.val().size() + " validation images, the test split is"
                    + " reported after");
            int[] valLabels = images.val().labels();
            int[] testLabels = images.test().labels();
            Predictions before = predict(run, images, train, "as-given", dir, manager, say);
            Predictions after = predict(run, images, fixed, "repaired", dir, manager, say);
            decision = run.gate().decide(valLabels, before.val(), after.val(), train.classes(),
                    new TargetedMetric("selection accuracy", LabelRepair.accuracy(before.val(), valLabels),
                            LabelRepair.accuracy(after.val(), valLabels), 0.0));
            acc.put("as given", LabelRepair.accuracy(before.test(), testLabels));
            acc.put("repaired", LabelRepair.accuracy(after.test(), testLabels));
            String report = "Decided on the selection split (validation)\n" + decision.report() + String.format(
                    Locale.ROOT, "Test split, read once after the decision: accuracy %.4f -> %.4f%n", acc.get("as given"),
                    acc.get("repaired"));
            dir.write("gate.txt", report);
            say.line(report.stripTrailing());
            if (truth != null) {
                ImageSet clean = train.withLabels(truth, train.classes());
                acc.put("true labels", LabelRepair.accuracy(predict(run, images, clean, "true-labels", dir, manager,
                        say).test(), testLabels));
                // a deliberately harmful candidate: the gate must refuse a model trained on shuffled labels
                int[] shuffled = train.labels().clone();
                Subsets.shuffle(shuffled, new SplittableRandom(run.config().training().seed()));
                Predictions harmful = predict(run, images, train.withLabels(shuffled, train.classes()), "shuffled", dir,
                        manager, say);
                Decision control = run.gate().decide(valLabels, before.val(), harmful.val(), train.classes(),
                        new TargetedMetric("selection accuracy", LabelRepair.accuracy(before.val(), valLabels),
                                LabelRepair.accuracy(harmful.val(), valLabels), 0.0));
                acc.put("shuffled (control)", LabelRepair.accuracy(harmful.test(), testLabels));
                say.line("control, trained on shuffled labels: " + (control.accepted() ? "ACCEPTED (wrong!)"
                        : "rejected") + " " + control.reasons());
            }
            acc.forEach((k, v) -> say.line(String.format(Locale.ROOT, "test accuracy, trained on labels %s: %.4f", k, v)));
        }
        return new Result(li, det, acc, decision, csv, tiles.isEmpty() ? null : png);
    }

    /** Predicted classes on the validation (selection) and the test images. */
    private record Predictions(int[] val, int[] test) {
    }

    /** Trains on {@code train} with the config (from scratch, or from finetune.base); its predictions. */
    private static Predictions predict(ResolvedRun run, Sessions.Images images, ImageSet train, String name, RunDir dir,
                                       NDManager manager, Reporter say) {
        ImageSet both = ImageSet.concat(images.val(), images.test());
        int[] all = LabelRepair.argmax(CrossFitting.trainAndPredict(run, images, train, both,
                RunDir.create(dir.path(), name), manager, say));
        int n = images.val().size();
        return new Predictions(java.util.Arrays.copyOfRange(all, 0, n), java.util.Arrays.copyOfRange(all, n, all.length));
    }

    private static String csv(LabelIssues li, ImageSet train, int[] truth) {
        StringBuilder sb = new StringBuilder("rank,index,source,given,suggested,score" + (truth == null ? "" : ",wrong")
                + "\n");
        for (int r = 0; r < li.issues().size(); r++) {
            Issue is = li.issues().get(r);
            sb.append(r + 1).append(',').append(is.index()).append(',').append(csvField(train.source(is.index())))
                    .append(',').append(csvField(train.classes().get(is.givenLabel()))).append(',')
                    .append(csvField(train.classes().get(is.suggestedLabel()))).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", is.score()));
            if (truth != null) {
                sb.append(',').append(truth[is.index()] != is.givenLabel());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
