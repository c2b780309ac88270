package dev.tuneup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train a base, then finetune, export and lr-find through the real entry point. */
class FinetuneCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** Four classes of 8x8 gray images: a bright bar in one of four row bands. */
    private Path bars() throws IOException {
        Path root = dir.resolve("bars");
        SplittableRandom rng = new SplittableRandom(4);
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 4; c++) {
                Path folder = root.resolve(split).resolve("band" + c);
                Files.createDirectories(folder);
                for (int i = 0; i < (split.equals("train") ? 30 : 8); i++) {
                    BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            im.getRaster().setSample(x, y, 0, (y / 2 == c ? 170 : 40) + rng.nextInt(50));
                        }
                    }
                    ImageIO.write(im, "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        return root;
    }

    private List<String> common(Path data) {
        return new ArrayList<>(List.of("--set", "data.name=" + data, "--set", "data.channels=1", "--set",
                "model.conv_widths=[8]", "--set", "model.dense_widths=[16]", "--set", "training.batch_size=16", "--set",
                "training.workers=1", "--set", "output.dir=" + dir.resolve("runs")));
    }

    private Path newest(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void trainThenFinetuneExportAndFindAnLr() throws IOException {
        Path data = bars();
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(common(data));
        train.addAll(List.of("--set", "data.classes=[0, 1]", "--set", "training.epochs=2", "--set", "output.name=base"));
        Result t = run(train);
        assertEquals(0, t.code, t.err);
        Path base = newest("-base");
        assertTrue(Files.exists(base.resolve("bundle/manifest.json")));

        List<String> ft = new ArrayList<>(List.of("finetune", "--base", base.resolve("bundle").toString(), "--recipe",
                "fine_tune"));
        ft.addAll(common(data));
        ft.addAll(List.of("--set", "data.classes=[2, 3]", "--set", "training.epochs=2", "--set", "output.name=ft"));
        Result f = run(ft);
        assertEquals(0, f.code, f.err);
        assertTrue(f.out.contains("LR finder (frozen backbone)"), f.out);
        assertTrue(f.out.contains("phase 2/2 unfrozen, discriminative LRs over 3 groups"), f.out);
        Path ftRun = newest("-ft");
        for (String file : List.of("lr-find.png", "curves.png", "metrics.csv", "bundle/weights.params", "config.yaml")) {
            assertTrue(Files.exists(ftRun.resolve(file)), file);
        }
        assertTrue(Files.readAllLines(ftRun.resolve("metrics.csv")).get(0).startsWith("phase,"));

        Path exported = dir.resolve("exported");
        Result e = run(List.of("export", ftRun.toString(), "--out", exported.toString(), "--checkpoint", "last"));
        assertEquals(0, e.code, e.err);
        assertTrue(e.out.contains("-> " + exported), e.out);
        assertTrue(Files.exists(exported.resolve("synset.txt")));
        assertEquals(List.of("band2", "band3"), Files.readAllLines(exported.resolve("synset.txt")));

        List<String> lf = new ArrayList<>(List.of("lr-find", "--steps", "30"));
        lf.addAll(common(data));
        Result l = run(lf);
        assertEquals(0, l.code, l.err);
        assertTrue(l.out.contains("suggestions: valley"), l.out);
        assertTrue(Files.exists(newest("-lr-find").resolve("lr-find.png")));
    }

    @Test
    void evalReportsTestCorruptionsTtaAndOtherData() throws IOException {
        Path data = bars();
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(common(data));
        train.addAll(List.of("--set", "training.epochs=2", "--set", "output.name=m"));
        assertEquals(0, run(train).code);
        Path bundle = newest("-m").resolve("bundle");
        Result r = run(List.of("eval", "--model", bundle.toString(), "--data", data.toString(), "--corruptions",
                "gaussian_noise,invert", "--severities", "1,3", "--tta", "flip", "--other", data.resolve("train").toString(),
                "--bootstrap", "50", "--out", dir.resolve("evals").toString()));
        assertEquals(0, r.code, r.err);
        for (String s : List.of("32 examples, 4 classes", "95% CI", "confusion matrix", "test-time augmentation (flip)",
                "gaussian_noise", "mean corruption accuracy", "out-of-distribution AUROC", "calibration: ECE")) {
            assertTrue(r.out.contains(s), s + " in\n" + r.out);
        }
        Path ev;
        try (Stream<Path> s = Files.list(dir.resolve("evals"))) {
            ev = s.findFirst().orElseThrow();
        }
        for (String f : List.of("eval.json", "eval.txt", "confusion.png", "reliability.png", "corruptions.png")) {
            assertTrue(Files.size(ev.resolve(f)) > 100, f);
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ev.resolve("eval.json").toFile());
        assertEquals(3, json.get("corruptions").size(), "gaussian_noise at 1 and 3, invert once");
        assertEquals(120, json.get("other").get("known").asInt());
        Result an = run(List.of("analyze", "--model", bundle.toString(), "--data", data.toString(), "--eval",
                ev.resolve("eval.json").toString(), "--top", "5", "--out", dir.resolve("analyses").toString()));
        assertEquals(0, an.code, an.err);
        for (String s : List.of("most confused", "error rate per class", "top losses", "weakest corruptions", "invert")) {
            assertTrue(an.out.contains(s), s + " in\n" + an.out);
        }
        Path ad;
        try (Stream<Path> s = Files.list(dir.resolve("analyses"))) {
            ad = s.findFirst().orElseThrow();
        }
        var analysis = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ad.resolve("analysis.json").toFile());
        assertEquals(5, analysis.get("topLosses").size());
        assertEquals(4, analysis.get("classErrors").size());
        assertTrue(Files.size(ad.resolve("top-losses.png")) > 1000);
        Result bad = run(List.of("eval", "--model", bundle.toString(), "--data", data.toString(), "--corruptions",
                "gausian_noise", "--out", dir.resolve("evals").toString()));
        assertEquals(1, bad.code);
        assertTrue(bad.err.contains("gaussian_noise"), bad.err);
    }

    @Test
    void labelIssuesFindsInjectedNoiseAndGatesTheRepair() throws IOException {
        Path data = bars();
        List<String> li = new ArrayList<>(List.of("label-issues", "--folds", "2", "--inject-noise", "0.2", "--fix", "drop"));
        li.addAll(common(data));
        li.addAll(List.of("--set", "training.epochs=3", "--set", "schedule=onecycle(max=0.05)", "--set",
                "training.restore_best=false"));
        Result r = run(li);
        assertEquals(0, r.code, r.err);
        for (String s : List.of("injected symmetric label noise", "fold 2/2", "confident learning (prune_by_noise_rate",
                "against the true labels", "precision", "test accuracy, trained on labels as given",
                "test accuracy, trained on labels repaired", "test accuracy, trained on labels true labels",
                "control, trained on shuffled labels: rejected")) {
            assertTrue(r.out.contains(s), s + " in\n" + r.out);
        }
        Path run = newest("-label-issues");
        List<String> csv = Files.readAllLines(run.resolve("label-issues.csv"));
        assertEquals("rank,index,source,given,suggested,score,wrong", csv.get(0));
        assertTrue(csv.size() > 1, "some issues found");
        assertTrue(Files.exists(run.resolve("gate.txt")));
        assertTrue(Files.exists(run.resolve("label-issues.png")));
    }

    @Test
    void repairAimsAugmentationAtTheWeakestCorruptionsBehindTheGate() throws IOException {
        Path data = bars();
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(common(data));
        train.addAll(List.of("--set", "training.epochs=2", "--set", "output.name=m"));
        assertEquals(0, run(train).code);
        List<String> rep = new ArrayList<>(List.of("repair", "--model", newest("-m").resolve("bundle").toString(),
                "--strategy", "augment", "--weakest", "2", "--eval-per-class", "8"));
        rep.addAll(common(data));
        rep.addAll(List.of("--set", "training.epochs=2", "--set", "output.name=fix"));
        Result r = run(rep);
        assertEquals(0, r.code, r.err);
        for (String s : List.of("1. evaluate the current model under corruption", "2. continue fine-tuning aimed at the"
                + " weakest corruptions", "3. evaluate the candidate", "Verdict:", "mean corruption accuracy")) {
            assertTrue(r.out.contains(s), s + " in\n" + r.out);
        }
        Path run = newest("-repair");
        assertTrue(Files.readString(run.resolve("gate.txt")).contains("Verdict:"));
        for (String strategy : List.of("reweight", "feedback", "auto")) {
            List<String> more = new ArrayList<>(List.of("repair", "--model", newest("-m").resolve("bundle").toString(),
                    "--strategy", strategy, "--eval-per-class", "8"));
            if (strategy.equals("feedback")) {
                Path csv = dir.resolve("fix.csv");
                Files.writeString(csv, "source,label\n" + data.resolve("train/band2/0.png") + ",band3\n");
                more.addAll(List.of("--feedback", csv.toString()));
            }
            more.addAll(common(data));
            more.addAll(List.of("--set", "training.epochs=1", "--set", "output.name=" + strategy));
            Result s = run(more);
            assertEquals(0, s.code, s.err);
            assertTrue(s.out.contains("Verdict:"), s.out);
            assertTrue(s.out.contains(switch (strategy) {
                case "reweight" -> "training images become";
                case "feedback" -> "1 training labels corrected";
                default -> "auto: accuracy";
            }), s.out);
        }
        Result bad = run(List.of("repair", "--model", newest("-m").resolve("bundle").toString(), "--strategy", "labels"));
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.contains("label-issues --fix"), bad.err);
    }

    @Test
    void aMissingBaseIsOneLineWithAFix() {
        Result r = run(List.of("finetune", "--base", dir.resolve("nope").toString(), "--data", "fashion-mnist", "--set",
                "output.dir=" + dir.resolve("runs")));
        assertEquals(1, r.code);
        assertTrue(r.err.contains("does not exist"), r.err);
        Result z = run(List.of("finetune", "--base", "resnet50", "--data", "fashion-mnist", "--set",
                "output.dir=" + dir.resolve("runs")));
        assertEquals(1, z.code);
        assertTrue(z.err.contains("torch.jit.script"), z.err);
        assertTrue(!Files.exists(dir.resolve("runs")) || dir.resolve("runs").toFile().list().length == 0,
                "no half-made run folder");
    }
}
