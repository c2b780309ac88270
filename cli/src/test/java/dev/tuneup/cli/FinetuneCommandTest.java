package dev.tuneup.cli;

import static dev.tuneup.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train a base, then finetune, export and lr-find through the real entry point. */
class FinetuneCommandTest {
    @TempDir
    Path dir;

    private Path newest(String suffix) throws IOException {
        return Bars.newest(dir.resolve("runs"), suffix);
    }

    @Test
    void trainThenFinetuneExportAndFindAnLr() throws IOException {
        Path data = Bars.write(dir.resolve("bars"));
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(Bars.settings(data, dir.resolve("runs")));
        train.addAll(List.of("--set", "data.classes=[0, 1]", "--set", "training.epochs=2", "--set", "output.name=base"));
        CliRun t = run(train);
        assertEquals(0, t.code(), t.err());
        Path base = newest("-base");
        assertTrue(Files.exists(base.resolve("bundle/manifest.json")));

        List<String> ft = new ArrayList<>(List.of("finetune", "--base", base.resolve("bundle").toString(), "--recipe",
                "fine_tune"));
        ft.addAll(Bars.settings(data, dir.resolve("runs")));
        ft.addAll(List.of("--set", "data.classes=[2, 3]", "--set", "training.epochs=2", "--set", "output.name=ft"));
        CliRun f = run(ft);
        assertEquals(0, f.code(), f.err());
        assertTrue(f.out().contains("LR finder (frozen backbone)"), f.out());
        assertTrue(f.out().contains("phase 2/2 unfrozen, discriminative LRs over 3 groups"), f.out());
        Path ftRun = newest("-ft");
        for (String file : List.of("lr-find.png", "curves.png", "metrics.csv", "bundle/weights.params", "config.yaml")) {
            assertTrue(Files.exists(ftRun.resolve(file)), file);
        }
        assertTrue(Files.readAllLines(ftRun.resolve("metrics.csv")).get(0).startsWith("phase,"));

        Path exported = dir.resolve("exported");
        CliRun e = run(List.of("export", ftRun.toString(), "--to", exported.toString(), "--checkpoint", "last"));
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("-> " + exported), e.out());
        assertTrue(Files.exists(exported.resolve("synset.txt")));
        assertEquals(List.of("band2", "band3"), Files.readAllLines(exported.resolve("synset.txt")));
        CliRun fromBundle = run(List.of("export", exported.toString(), "--format", "onnx"));
        assertEquals(0, fromBundle.code(), fromBundle.err());
        assertTrue(fromBundle.out().contains("onnx of bundle " + exported + " -> "), fromBundle.out());
        assertTrue(Files.size(dir.resolve("exported.onnx")) > 1000);
        Path onnx = dir.resolve("ft.onnx");
        CliRun fromRun = run(List.of("export", ftRun.toString(), "--format", "ONNX", "--to", onnx.toString()));
        assertEquals(0, fromRun.code(), fromRun.err());
        assertTrue(fromRun.out().contains("(best) -> " + onnx), fromRun.out());
        assertTrue(fromRun.out().contains("outputs logits, probabilities"), fromRun.out());
        CliRun bad = run(List.of("export", ftRun.toString(), "--format", "tflite"));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--format must be bundle or onnx, not tflite"), bad.err());
        CliRun again = run(List.of("export", exported.toString()));
        assertEquals(1, again.code(), again.out());
        assertTrue(again.err().contains("is already a bundle"), again.err());

        List<String> lf = new ArrayList<>(List.of("lr-find", "--steps", "30"));
        lf.addAll(Bars.settings(data, dir.resolve("runs")));
        CliRun l = run(lf);
        assertEquals(0, l.code(), l.err());
        assertTrue(l.out().contains("suggestions: valley"), l.out());
        assertTrue(Files.exists(newest("-lr-find").resolve("lr-find.png")));
    }

    @Test
    void evalReportsTestCorruptionsTtaAndOtherData() throws IOException {
        Path data = Bars.write(dir.resolve("bars"));
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(Bars.settings(data, dir.resolve("runs")));
        train.addAll(List.of("--set", "training.epochs=2", "--set", "output.name=m"));
        assertEquals(0, run(train).code());
        Path bundle = newest("-m").resolve("bundle");
        CliRun r = run(List.of("eval", "--model", bundle.toString(), "--data", data.toString(), "--corruptions",
                "gaussian_noise,invert", "--severities", "1,3", "--tta", "flip", "--other", data.resolve("train").toString(),
                "--bootstrap", "50", "--out", dir.resolve("evals").toString()));
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("32 examples, 4 classes", "95% CI", "confusion matrix", "test-time augmentation (flip)",
                "gaussian_noise", "mean corruption accuracy", "out-of-distribution AUROC", "calibration: ECE")) {
            assertTrue(r.out().contains(s), s + " in\n" + r.out());
        }
        Path ev;
        try (Stream<Path> s = Files.list(dir.resolve("evals"))) {
            ev = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        for (String f : List.of("eval.json", "eval.txt", "confusion.png", "reliability.png", "corruptions.png")) {
            assertTrue(Files.size(ev.resolve(f)) > 100, f);
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ev.resolve("eval.json").toFile());
        assertEquals(3, json.get("corruptions").size(), "gaussian_noise at 1 and 3, invert once");
        assertEquals(120, json.get("other").get("known").asInt());
        CliRun an = run(List.of("analyze", "--model", bundle.toString(), "--data", data.toString(), "--eval",
                ev.resolve("eval.json").toString(), "--top", "5", "--out", dir.resolve("analyses").toString()));
        assertEquals(0, an.code(), an.err());
        for (String s : List.of("most confused", "error rate per class", "top losses", "weakest corruptions", "invert")) {
            assertTrue(an.out().contains(s), s + " in\n" + an.out());
        }
        Path ad;
        try (Stream<Path> s = Files.list(dir.resolve("analyses"))) {
            ad = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        var analysis = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ad.resolve("analysis.json").toFile());
        assertEquals(5, analysis.get("top_losses").size());
        assertEquals(4, analysis.get("class_errors").size());
        assertTrue(Files.size(ad.resolve("top-losses.png")) > 1000);
        CliRun asJson = run(List.of("eval", "--model", bundle.toString(), "--data", data.toString(), "--bootstrap", "0",
                "--out", dir.resolve("evals").toString(), "--json"));
        assertEquals(0, asJson.code(), asJson.err());
        com.fasterxml.jackson.databind.JsonNode printed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(asJson.out());
        assertEquals(32, printed.get("test").get("n").asInt(), asJson.out());
        assertTrue(asJson.err().contains("32 examples, 4 classes"), "the text goes to stderr: " + asJson.err());
        CliRun info = run(List.of("data", "info", "--data", data.toString(), "--json"));
        assertEquals(0, info.code(), info.err());
        assertTrue(new com.fasterxml.jackson.databind.ObjectMapper().readTree(info.out()).get("splits").get(0).has("content_hash"),
                info.out());
        CliRun bad = run(List.of("eval", "--model", bundle.toString(), "--data", data.toString(), "--corruptions",
                "gausian_noise", "--out", dir.resolve("evals").toString()));
        assertEquals(2, bad.code(), "a misspelt corruption is a usage error");
        assertTrue(bad.err().contains("gaussian_noise"), bad.err());
    }

    @Test
    void labelIssuesFindsInjectedNoiseAndGatesTheRepair() throws IOException {
        Path data = Bars.write(dir.resolve("bars"));
        List<String> li = new ArrayList<>(List.of("label-issues", "--folds", "2", "--inject-noise", "0.2", "--fix",
                "drop,relabel_confident,forward,soft", "--fold-set", "training.epochs=4", "--fold-set", "augment.train=hflip"));
        li.addAll(Bars.settings(data, dir.resolve("runs")));
        li.addAll(List.of("--set", "training.epochs=3", "--set", "schedule=onecycle(max=0.05)", "--set",
                "training.restore_best=false"));
        CliRun r = run(li);
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        for (String s : List.of("injected label noise (0.2)", "fold 2/2", "confident learning (prune_by_noise_rate",
                "against the true labels", "precision", "candidate drop", "candidate relabel_confident",
                "candidate forward: ", "loss corrected by the estimated noise matrix", "candidate soft: ",
                "suspects trained on their out-of-sample probabilities", "Reference, trained on the true labels", "Control, trained on shuffled labels: rejected", "as given", "true labels")) {
            assertTrue(out.contains(s), s + " in\n" + out);
        }
        // the test split is read once, and only after every model was trained and the gate decided
        int read = out.indexOf("test split: ");
        assertTrue(read > 0 && out.indexOf("test split: ", read + 1) < 0, out);
        for (String before : List.of("candidate drop:", "candidate relabel_confident:", "candidate forward:",
                "candidate soft:")) {
            assertTrue(out.indexOf(before) >= 0 && out.indexOf(before) < read, before + " before the test split is read:\n"
                    + out);
        }
        assertTrue(out.indexOf("Chosen: ") >= 0 || out.indexOf("No fix passed the gate") >= 0, out);
        Path run = newest("-label-issues");
        List<String> csv = Files.readAllLines(run.resolve("label-issues.csv"));
        assertEquals("rank,index,source,given,suggested,score,p_suggested,wrong", csv.get(0));
        assertTrue(csv.size() > 1, "some issues found");
        assertTrue(Files.readString(run.resolve("fold-config.yaml")).contains("epochs: 4"), "the folds' own config");
        // the folds train with their own augmentation, not the one the run's images were loaded with
        assertTrue(out.contains("augmentation: hflip"), out);
        try (var folders = Files.list(run)) {
            Path fold = folders.filter(f -> f.getFileName().toString().endsWith("-fold-1")).findFirst().orElseThrow();
            assertTrue(Files.readString(fold.resolve("bundle").resolve("provenance.json")).contains("\"augment\" : \"hflip\""),
                    "the fold's bundle records what it trained with");
        }
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("epochs: 3"), "the run's");
        List<String> foldData = new ArrayList<>(li);
        foldData.addAll(List.of("--fold-set", "data.per_class=3"));
        CliRun refused = run(foldData);
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("--fold-set data.per_class=3: the folds train on the run's own images"),
                refused.err());
        List<String> oof = Files.readAllLines(run.resolve("out-of-sample.csv"));
        assertTrue(oof.get(0).startsWith("index,source,given,true,p_"), oof.get(0));
        String[] row = oof.get(1).split(",");
        double sum = 0;
        for (int c = 4; c < row.length; c++) {
            sum += Double.parseDouble(row[c]);
        }
        assertEquals(1.0, sum, 1e-4, "a row of probabilities: " + oof.get(1));
        String liGate = Files.readString(run.resolve("gate.txt"));
        assertTrue(liGate.startsWith("Decided on the selection split") && liGate.contains("Test split, read once after"),
                liGate);
        assertTrue(Files.exists(run.resolve("label-issues.png")));
        var splits = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("splits.json").toFile());
        assertTrue(splits.get("selection").get("images").asInt() > 0 && splits.get("test").get("images").asInt() > 0,
                splits.toString());
    }

    @Test
    void repairAimsAugmentationAtTheWeakestCorruptionsBehindTheGate() throws IOException {
        Path data = Bars.write(dir.resolve("bars"));
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(Bars.settings(data, dir.resolve("runs")));
        train.addAll(List.of("--set", "training.epochs=2", "--set", "output.name=m"));
        assertEquals(0, run(train).code());
        List<String> rep = new ArrayList<>(List.of("repair", "--model", newest("-m").resolve("bundle").toString(),
                "--strategy", "augment", "--weakest", "2", "--eval-per-class", "8"));
        rep.addAll(Bars.settings(data, dir.resolve("runs")));
        rep.addAll(List.of("--set", "training.epochs=2", "--set", "output.name=fix"));
        CliRun r = run(rep);
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("1. evaluate the current model on the selection split", "2. continue fine-tuning aimed at"
                + " the weakest corruptions", "50% of the images replayed without the targeted ops", "replay(p=0.5) | ",
                "3. mix the candidate with the current model", "alpha 0.25:", "alpha 1.00:",
                "Verdict:", "mean corruption accuracy", "test split: ", "Test split, read once after the decision")) {
            assertTrue(r.out().contains(s), s + " in\n" + r.out());
        }
        Path run = newest("-repair");
        String gate = Files.readString(run.resolve("gate.txt"));
        assertTrue(gate.contains("Decided on the selection split") && gate.contains("Verdict:"), gate);
        var splits = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("splits.json").toFile());
        for (String split : List.of("train", "selection", "test")) {
            assertTrue(splits.get(split).get("images").asInt() > 0, split + " in " + splits);
        }
        assertNotEquals(splits.get("selection").get("sha256"), splits.get("test").get("sha256"));
        try (Stream<Path> inside = Files.list(run)) {
            Path candidate = inside.filter(x -> x.getFileName().toString().endsWith("-candidate")).findFirst().orElseThrow();
            assertFalse(Files.exists(candidate.resolve("test.json")), "the candidate was tested before the decision");
        }
        List<String> jsd = new ArrayList<>(List.of("repair", "--model", newest("-m").resolve("bundle").toString(),
                "--strategy", "augment", "--weakest", "1", "--replay", "0", "--jsd", "12", "--eval-per-class", "8"));
        jsd.addAll(Bars.settings(data, dir.resolve("runs")));
        jsd.addAll(List.of("--set", "training.epochs=1", "--set", "output.name=jsd"));
        CliRun j = run(jsd);
        assertEquals(0, j.code(), j.err());
        assertTrue(j.out().contains("consistency training (jsd weight 12)") && j.out().contains("jsd(weight=12) | "),
                j.out());
        List<String> both = new ArrayList<>(jsd);
        both.set(both.indexOf("--replay") + 1, "0.5");
        CliRun refused = run(both);
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("--replay 0"), refused.err());
        for (String strategy : List.of("reweight", "feedback", "auto")) {
            List<String> more = new ArrayList<>(List.of("repair", "--model", newest("-m").resolve("bundle").toString(),
                    "--strategy", strategy, "--eval-per-class", "8"));
            if (strategy.equals("feedback")) {
                Path csv = dir.resolve("fix.csv");
                Files.writeString(csv, "source,label\n" + data.resolve("train/band2/0.png") + ",band3\n");
                more.addAll(List.of("--feedback", csv.toString()));
            }
            more.addAll(Bars.settings(data, dir.resolve("runs")));
            more.addAll(List.of("--set", "training.epochs=1", "--set", "output.name=" + strategy));
            CliRun s = run(more);
            assertEquals(0, s.code(), s.err());
            assertTrue(s.out().contains("Verdict:"), s.out());
            assertTrue(s.out().contains(switch (strategy) {
                case "reweight" -> "training images become";
                case "feedback" -> "1 training labels corrected";
                default -> "auto (selection split): accuracy";
            }), s.out());
        }
        CliRun bad = run(List.of("repair", "--model", newest("-m").resolve("bundle").toString(), "--strategy", "labels"));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("label-issues --fix"), bad.err());
    }

    @Test
    void aMissingBaseIsOneLineWithAFix() {
        CliRun r = run(List.of("finetune", "--base", dir.resolve("nope").toString(), "--data", "fashion-mnist", "--set",
                "output.dir=" + dir.resolve("runs")));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("does not exist"), r.err());
        CliRun z = run(List.of("finetune", "--base", "resnet50", "--data", "fashion-mnist", "--set",
                "output.dir=" + dir.resolve("runs")));
        assertEquals(1, z.code());
        assertTrue(z.err().contains("torch.jit.script"), z.err());
        assertTrue(!Files.exists(dir.resolve("runs")) || dir.resolve("runs").toFile().listFiles(java.io.File::isDirectory)
                .length == 0, "no half-made run folder");
    }
}
