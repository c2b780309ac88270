package dev.tuneup.workflow;

import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.Image;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.evaluate.Evaluation;
import dev.tuneup.repair.Decision;
import dev.tuneup.repair.ErrorAnalysis;
import dev.tuneup.repair.RegressionGate;
import dev.tuneup.report.Charts;
import dev.tuneup.report.EvalReport;
import dev.tuneup.report.Gallery;
import dev.tuneup.track.Lineage;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.RunStatus;
import dev.tuneup.tune.Study;
import dev.tuneup.tune.StudySettings;
import dev.tuneup.tune.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small folders of every kind a report reads, written by the same code the workflows use (RunDir,
 * EvalReport, Gallery, GateFile, Study) from seeded predictions, without training a model. One class
 * name is {@code <script>...}: a report must show it as text.
 */
final class ReportFixtures {
    static final String SCRIPT_CLASS = "<script>alert('x')</script>";
    static final List<String> CLASSES = List.of("cat", SCRIPT_CLASS, "dog");
    static final int N = 60;

    private final Path out;
    /** Whether folders get run.json (RunDir.begin/end) as the workflows write it now. */
    private final boolean tracked;
    private final SplittableRandom rng = new SplittableRandom(7);
    final int[] labels = new int[N];
    final float[][] probs = new float[N][];

    ReportFixtures(Path out) {
        this(out, false);
    }

    ReportFixtures(Path out, boolean tracked) {
        this.out = out;
        this.tracked = tracked;
        for (int i = 0; i < N; i++) {
            labels[i] = i % CLASSES.size();
            int pred = rng.nextDouble() < 0.8 ? labels[i] : (labels[i] + 1) % CLASSES.size();
            float[] p = {0.1f, 0.1f, 0.1f};
            p[pred] = 0.8f;
            probs[i] = p;
        }
    }

    /** A train run: config, metrics per epoch, test numbers, provenance. */
    Path train(String name, String base) throws IOException {
        RunDir dir = RunDir.create(out, name);
        if (tracked) {
            dir.begin(base == null ? RunKind.TRAIN : RunKind.FINETUNE, base == null ? List.of()
                    : List.of(Lineage.to(Lineage.BASE, Path.of(base))));
        }
        RunConfig c = ConfigLoader.load(null, List.of());
        if (base != null) {
            c = c.withFinetune(c.finetune().withBase(base));
        }
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(c));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int e = 1; e <= 4; e++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("epoch", e);
            r.put("train_loss", 1.2 / e);
            r.put("train_acc", 0.5 + 0.1 * e);
            r.put("val_loss", 1.3 / e);
            r.put("val_acc", 0.45 + 0.1 * e);
            rows.add(r);
        }
        dir.writeMetrics(rows);
        dir.writeJson("test.json", Map.of("loss", 0.4321, "accuracy", 0.8125, "top5", 1.0));
        dir.writeJson("provenance.json", Map.of("seed", 42, "djl", "0.36.0", "train_images", 600));
        Files.createDirectories(dir.path().resolve("bundle"));
        Files.writeString(dir.path().resolve("bundle/manifest.json"), "{}");
        if (tracked) {
            dir.end(RunStatus.FINISHED, "4 epochs", Map.of(), List.of());
        }
        return dir.path();
    }

    /** A fine-tune of {@code base}'s bundle, with its phases folder. */
    Path finetune(Path base) throws IOException {
        Path dir = train("finetune", base.resolve("bundle").toString());
        Files.createDirectories(dir.resolve("phases/phase-1"));
        return dir;
    }

    Path eval(Path model) throws IOException {
        RunDir dir = RunDir.create(out, "eval");
        Evaluation e = Evaluation.of(probs, labels, CLASSES, 10, 0, 0);
        List<EvalRun.CorruptionResult> cs = new ArrayList<>();
        for (String c : List.of("gaussian_noise", "contrast")) {
            for (int s : new int[] {1, 3, 5}) {
                cs.add(new EvalRun.CorruptionResult(c, s, e.accuracy() - 0.05 * s, 1.0, 0.1));
            }
        }
        double mean = cs.stream().mapToDouble(EvalRun.CorruptionResult::accuracy).average().orElseThrow();
        EvalReport.write(dir.path(), new EvalRun.Report(model.resolve("bundle").toString(), "pets/test", 1.25, e, e, null,
                null, cs, mean, mean / e.accuracy(), null, 1000, 500));
        dir.write("eval.txt", "test set (pets/test)\n");
        return dir.path();
    }

    Path analyze(Path model) throws IOException {
        RunDir dir = RunDir.create(out, "analyze");
        Evaluation e = Evaluation.of(probs, labels, CLASSES, 10, 0, 0);
        ErrorAnalysis a = ErrorAnalysis.of(probs, labels, e, 6);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root = json.createObjectNode();
        root.put("model", model.resolve("bundle").toString());
        root.put("accuracy", e.accuracy());
        root.put("images", e.n());
        root.setAll((com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(a));
        dir.write("analysis.json", json.writeValueAsBytes(root));
        List<Gallery.Item> items = new ArrayList<>();
        for (ErrorAnalysis.Loss l : a.topLosses()) {
            items.add(new Gallery.Item(image(l.index()), "test/" + CLASSES.get(l.truth()) + "/" + l.index() + ".png",
                    l.index(), List.of("true " + CLASSES.get(l.truth()), "pred " + CLASSES.get(l.predicted()))));
        }
        Gallery.write(dir.path().resolve("top-losses.json"), items);
        return dir.path();
    }

    Path labelIssues() throws IOException {
        RunDir dir = RunDir.create(out, "run-label-issues");
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(ConfigLoader.load(null, List.of())));
        StringBuilder csv = new StringBuilder("rank,index,source,given,suggested,score,p_suggested\n");
        List<Gallery.Item> items = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            csv.append(r + 1).append(',').append(r * 7).append(",train/cat/").append(r * 7).append(".png,cat,dog,0.1")
                    .append(r).append(",0.9\n");
            items.add(new Gallery.Item(image(r), "train/cat/" + r * 7 + ".png", r * 7, List.of("given cat", "-> dog")));
        }
        dir.write("label-issues.csv", csv.toString());
        Gallery.write(dir.path().resolve("label-issues.json"), items);
        Decision d = gate();
        dir.write("gate.txt", d.report());
        GateFile.write(dir, d, null, null, Map.of("as_given", 0.8, "drop", 0.85));
        return dir.path();
    }

    /** A repair of {@code model}: splits, the candidate's run folder and the gate's verdict. */
    Path repair(Path model) throws IOException {
        RunDir dir = RunDir.create(out, "repair");
        if (tracked) {
            dir.begin(RunKind.REPAIR, List.of(Lineage.to(Lineage.SOURCE, model.resolve("bundle"))));
        }
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(ConfigLoader.load(null, List.of())));
        dir.writeJson("splits.json", Map.of("train", 40, "selection", 60, "test", 60));
        Path candidate = new ReportFixtures(dir.path(), tracked).train("candidate", model.resolve("bundle").toString());
        Decision d = gate();
        dir.write("gate.txt", d.report());
        Map<String, Double> test = new LinkedHashMap<>();
        test.put("current", 0.8);
        test.put("repaired", 0.8333);
        GateFile.write(dir, d, 0.7, candidate.resolve("bundle"), test);
        if (tracked) {
            dir.end(RunStatus.FINISHED, d.accepted() ? "accepted" : "rejected", Map.of(), List.of(Lineage.to(
                    d.accepted() ? Lineage.ACCEPTED : Lineage.REJECTED, candidate.resolve("bundle"))));
        }
        return dir.path();
    }

    /** The gate on the fixture's predictions: the candidate fixes 8 errors and breaks none. */
    Decision gate() {
        int[] current = new int[N];
        int[] candidate = new int[N];
        for (int i = 0; i < N; i++) {
            current[i] = i % 5 == 0 ? (labels[i] + 1) % 3 : labels[i];
            candidate[i] = i % 5 == 0 && i < 40 ? labels[i] : current[i];
        }
        return RegressionGate.defaults().decide(labels, current, candidate, CLASSES);
    }

    Path study() throws IOException {
        Path dir = out.resolve("study");
        Files.createDirectories(dir);
        try (Study st = Study.open(dir.resolve("study.db"))) {
            new StudySettings("training.lr: loguniform(1e-4, 1e-1)\n", "{}", "val_acc", true, "random", "median", 3, 2)
                    .bind(st);
            double[] values = {0.61, 0.74, 0.52, 0.8};
            for (int t = 0; t < values.length; t++) {
                Trial trial = st.start(Map.of("training.lr", 0.001 * (t + 1)));
                st.report(trial.number(), 1, values[t] - 0.1);
                st.report(trial.number(), 2, values[t]);
                st.finish(trial.number(), t == 2 ? Trial.State.PRUNED : Trial.State.COMPLETE, values[t], 3.5, "");
            }
        }
        Charts.scatterChart(dir.resolve("objective.png"), "Objective", "trial", "val_acc",
                Map.of("trials", new double[][] {{0, 1, 2, 3}, {0.61, 0.74, 0.52, 0.8}}), Map.of());
        Files.writeString(dir.resolve("best.yaml"), "training:\n  lr: 0.004\n");
        return dir;
    }

    /** A quickstart folder: summary, data and its steps. */
    Path quickstart() throws IOException {
        RunDir dir = RunDir.create(out, "quickstart");
        dir.write("summary.txt", "test accuracy\n  fine-tuned from the base 81.2%\n");
        dir.writeJson("data.json", Map.of("name", "pets", "classes", CLASSES, "splits", List.of(Map.of("split", "train",
                "images", 600, "height", 8, "width", 8, "channels", 3))));
        ReportFixtures inner = new ReportFixtures(dir.path());
        Path base = inner.train("base", null);
        Path ft = inner.finetune(base);
        inner.eval(ft);
        inner.repair(ft);
        return dir.path();
    }

    /** An 8x8 RGB image, a different colour per index. */
    private static Image image(int i) {
        byte[] px = new byte[8 * 8 * 3];
        for (int p = 0; p < 64; p++) {
            px[3 * p] = (byte) (40 * i);
            px[3 * p + 1] = (byte) (p * 4);
            px[3 * p + 2] = (byte) (255 - 30 * i);
        }
        return new Image(8, 8, 3, px);
    }
}
