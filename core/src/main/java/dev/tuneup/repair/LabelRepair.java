package dev.tuneup.repair;

import ai.djl.ndarray.NDManager;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.ImageSet;
import dev.tuneup.internal.Indices;
import dev.tuneup.report.TileGrid;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.FitListener;
import dev.tuneup.train.Runs;
import dev.tuneup.train.TrainingSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Label issues end to end: out-of-sample probabilities by cross-fitting, confident learning, the
 * issues as CSV and a picture, and (when asked) a repair: drop or relabel the suspects through the
 * labels only (files never move), train on the result with the same config, and compare it with
 * the model trained on the labels as given, on the same test set.
 */
public final class LabelRepair {
    /** What to do with the suspects. */
    public enum Fix {
        NONE, DROP, RELABEL
    }

    /** Detection quality against known true labels (when noise was injected). */
    public record Detection(int flagged, int trulyWrong, int caught, double precision, double recall, double f1) {
    }

    /**
     * @param detection null when the true labels are unknown
     * @param testAccuracy by model: "as given", "repaired", and "true labels" when known
     */
    public record Result(LabelIssues issues, Detection detection, java.util.Map<String, Double> testAccuracy,
                         Decision gate, Path csv, Path picture) {
    }

    private LabelRepair() {
    }

    /** Precision, recall and F1 of {@code flagged} indices against the indices whose label is wrong. */
    public static Detection detection(int[] flagged, int[] given, int[] truth) {
        Set<Integer> wrong = new HashSet<>();
        for (int i = 0; i < given.length; i++) {
            if (given[i] != truth[i]) {
                wrong.add(i);
            }
        }
        int caught = 0;
        for (int i : flagged) {
            caught += wrong.contains(i) ? 1 : 0;
        }
        double p = flagged.length == 0 ? 0 : (double) caught / flagged.length;
        double r = wrong.isEmpty() ? 0 : (double) caught / wrong.size();
        return new Detection(flagged.length, wrong.size(), caught, p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
    }

    /** The training labels after the fix: drop removes the suspects, relabel gives them the suggested class. */
    public static ImageSet apply(ImageSet train, LabelIssues li, Fix fix) {
        if (fix == Fix.NONE || li.issues().isEmpty()) {
            return train;
        }
        if (fix == Fix.RELABEL) {
            int[] labels = train.labels().clone();
            li.issues().forEach(i -> labels[i.index()] = i.suggestedLabel());
            return train.withLabels(labels, train.classes());
        }
        Set<Integer> drop = new HashSet<>();
        li.issues().forEach(i -> drop.add(i.index()));
        return train.subset(java.util.stream.IntStream.range(0, train.size()).filter(i -> !drop.contains(i)).toArray());
    }

    /**
     * @param truth the true training labels when known (noise injected), else null
     */
    public static Result run(RunConfig c, Runs.Images images, int[] truth, int folds, Method method, Ranking ranking,
                             Fix fix, RunDir dir, NDManager manager, Consumer<String> say,
                             Function<TrainingSession, List<FitListener>> listeners) throws IOException {
        ImageSet train = images.train();
        float[][] probs = CrossFit.outOfSample(c, images, folds, dir, manager, say, listeners);
        LabelIssues li = ConfidentLearning.find(probs, train.labels(), method, ranking);
        say.accept(String.format(Locale.ROOT, "confident learning (%s, ranked by %s): %d suspected label errors of %d"
                + " (%.1f%%); estimated noise %.1f%%", method.id(), ranking.id(), li.issues().size(), train.size(),
                100.0 * li.issues().size() / train.size(), 100 * li.estimatedNoise()));
        Detection det = truth == null ? null : detection(li.indices(), train.labels(), truth);
        if (det != null) {
            say.accept(String.format(Locale.ROOT, "against the true labels: %d of %d wrong labels caught; precision %.3f,"
                    + " recall %.3f, F1 %.3f", det.caught(), det.trulyWrong(), det.precision(), det.recall(), det.f1()));
        }
        Path csv = dir.path().resolve("label-issues.csv");
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
        dir.write("label-issues.csv", sb.toString());
        Path png = dir.path().resolve("label-issues.png");
        List<TileGrid.Tile> tiles = new ArrayList<>();
        for (Issue is : li.issues().subList(0, Math.min(40, li.issues().size()))) {
            tiles.add(new TileGrid.Tile(train.image(is.index()), List.of("given " + train.classes().get(is.givenLabel()),
                    "-> " + train.classes().get(is.suggestedLabel()), String.format(Locale.ROOT, "score %.3f", is.score()))));
        }
        if (!tiles.isEmpty()) {
            TileGrid.write(png, "Most likely label errors (" + li.issues().size() + " found)", tiles, 10, 64);
        }
        say.accept("label-issues.csv, label-issues.png -> " + dir.path());

        java.util.Map<String, Double> acc = new java.util.LinkedHashMap<>();
        Decision decision = null;
        if (fix != Fix.NONE && images.test() != null) {
            ImageSet fixed = apply(train, li, fix);
            say.accept("repair (" + fix.name().toLowerCase(Locale.ROOT) + "): training on " + fixed.size() + " images");
            int[] testLabels = images.test().labels();
            int[] before = argmax(trainAndPredict(c, images, train, "as-given", dir, manager, say, listeners));
            int[] after = argmax(trainAndPredict(c, images, fixed, "repaired", dir, manager, say, listeners));
            acc.put("as given", accuracy(before, testLabels));
            acc.put("repaired", accuracy(after, testLabels));
            decision = RegressionGate.defaults().decide(testLabels, before, after, train.classes(),
                    new TargetedMetric("test accuracy", acc.get("as given"), acc.get("repaired"), 0.0));
            dir.write("gate.txt", decision.report());
            say.accept(decision.report());
            if (truth != null) {
                ImageSet clean = train.withLabels(truth, train.classes());
                acc.put("true labels", accuracy(argmax(trainAndPredict(c, images, clean, "true-labels", dir, manager, say,
                        listeners)), testLabels));
                // a deliberately harmful candidate: the gate must refuse a model trained on shuffled labels
                int[] shuffled = train.labels().clone();
                dev.tuneup.data.Subsets.shuffle(shuffled, new java.util.SplittableRandom(c.training().seed()));
                int[] harmful = argmax(trainAndPredict(c, images, train.withLabels(shuffled, train.classes()), "shuffled",
                        dir, manager, say, listeners));
                Decision control = RegressionGate.defaults().decide(testLabels, before, harmful, train.classes(),
                        new TargetedMetric("test accuracy", acc.get("as given"), accuracy(harmful, testLabels), 0.0));
                acc.put("shuffled (control)", accuracy(harmful, testLabels));
                say.accept("control, trained on shuffled labels: " + (control.accepted() ? "ACCEPTED (wrong!)"
                        : "rejected") + " " + control.reasons());
            }
            acc.forEach((k, v) -> say.accept(String.format(Locale.ROOT, "test accuracy, trained on labels %s: %.4f", k, v)));
        }
        return new Result(li, det, acc, decision, csv, tiles.isEmpty() ? null : png);
    }

    /** Trains on {@code train} with the config (from scratch, or from finetune.base) and returns test probabilities. */
    static float[][] trainAndPredict(RunConfig c, Runs.Images images, ImageSet train, String name, RunDir dir,
                                     NDManager manager, Consumer<String> say,
                                     Function<TrainingSession, List<FitListener>> listeners) {
        return CrossFit.trainAndPredict(c, images, train, images.test(), RunDir.create(dir.path(), name), manager, say,
                listeners);
    }

    /** The most probable class of each row. */
    public static int[] argmax(float[][] p) {
        return Indices.argmax(p);
    }

    static double accuracy(int[] predicted, int[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
