package dev.tuneup.cli;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.Subsets;
import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.evaluate.Tta;
import dev.tuneup.finetune.FineTuner;
import dev.tuneup.repair.Decision;
import dev.tuneup.repair.LabelRepair;
import dev.tuneup.repair.RegressionGate;
import dev.tuneup.repair.TargetedAugment;
import dev.tuneup.repair.TargetedMetric;
import dev.tuneup.track.RunDir;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tuneup repair --strategy augment}: find the corruptions the model is weakest on, continue
 * fine-tuning it with augmentation aimed at them, and accept the result only through the
 * regression gate (mean corruption accuracy must improve, clean accuracy must not regress).
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Repair a bundle: --strategy augment continues fine-tuning with augmentation aimed at its weakest"
                + " corruptions and accepts the candidate only through the regression gate (docs/repair.md). Label"
                + " errors are repaired with tuneup label-issues --fix.")
public final class RepairCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "The bundle to repair.")
    Path model;

    @Option(names = "--strategy", defaultValue = "augment", description = "augment (default ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--config", paramLabel = "FILE", description = "Run config of the continued fine-tuning (its data"
            + " section names the training images).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--weakest", defaultValue = "3", description = "How many weakest corruptions to target.")
    int weakest;

    @Option(names = "--eval-per-class", defaultValue = "200", description = "Test images per class for the gate.")
    int perClass;

    @Option(names = "--min-gain", defaultValue = "0.01", description = "Required gain in mean corruption accuracy.")
    double minGain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!strategy.equals("augment")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--strategy must be augment; label"
                    + " errors are repaired with tuneup label-issues --fix drop|relabel");
        }
        RunConfig c = ConfigLoader.load(config, overrides);
        PrintWriter o = spec.commandLine().getOut();
        RunDir dir = RunDir.create(Path.of(c.output().dir()), c.output().name() + "-repair");
        o.println("repair -> " + dir.path());
        run(c, model, null, weakest, perClass, minGain, dir, o);
        return 0;
    }

    /**
     * The repair round; shared with quickstart. {@code before} is the current model's evaluation with
     * corruptions at severities 1, 3, 5 on {@code perClass} images per class, or null to run it.
     */
    static Decision run(RunConfig c, Path model, EvalRun.Report before, int weakest, int perClass, double minGain,
                        RunDir dir, PrintWriter o) throws IOException {
        List<Path> dirs = c.data().dataDirs().stream().map(Path::of).toList();
        EvalRun.Options eo = new EvalRun.Options(Tta.NONE, Corruption.parse("all"), List.of(1, 3, 5), c.training().seed(),
                0);
        if (before == null) {
            TrainRunner.say(o, dir, "1. evaluate the current model under corruption");
            before = EvalCommand.run(model, c.data().name(), Dataset.TEST, null, eo, perClass, dirs,
                    RunDir.create(dir.path(), "eval-before"), o);
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
        List<String> sets = new ArrayList<>(List.of("augment.train=" + aug, "finetune.base=" + model,
                "finetune.recipe=full", "output.dir=" + dir.path(), "output.name=candidate"));
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(c));
        RunConfig cc = ConfigLoader.load(dir.path().resolve(RunDir.CONFIG), sets); // the same run, new augmentation
        FineTuner.Result tuned = FinetuneCommand.run(cc, RunDir.create(dir.path(), "candidate"), o);
        TrainRunner.say(o, dir, "3. evaluate the candidate the same way");
        EvalRun.Report after = EvalCommand.run(tuned.bundle(), c.data().name(), Dataset.TEST, null, eo, perClass, dirs,
                RunDir.create(dir.path(), "eval-after"), o);
        Decision d;
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.Loaded cur = ModelBundle.load(model, m);
            ModelBundle.Loaded cand = ModelBundle.load(tuned.bundle(), m);
            ImageSet test = EvalCommand.split(cur, c.data().name(), Dataset.TEST, dirs, dir, o);
            ImageSet set = perClass > 0 ? Subsets.perClass(test, perClass, c.training().seed()) : test;
            int[] now = LabelRepair.argmax(new Predictor(cur, m, 256).probabilities(set));
            int[] next = LabelRepair.argmax(new Predictor(cand, m, 256).probabilities(set));
            d = RegressionGate.defaults().decide(set.labels(), now, next, cur.info().classes(),
                    new TargetedMetric("mean corruption accuracy", before.meanCorruptionAccuracy(),
                            after.meanCorruptionAccuracy(), minGain));
        }
        dir.write("gate.txt", d.report());
        o.print(d.report());
        TrainRunner.say(o, dir, String.format(Locale.ROOT, "mean corruption accuracy %.4f -> %.4f, clean %.4f -> %.4f: %s"
                        + " (candidate kept at %s)", before.meanCorruptionAccuracy(), after.meanCorruptionAccuracy(),
                before.clean().accuracy(), after.clean().accuracy(), d.accepted() ? "ACCEPTED" : "rejected",
                tuned.bundle()));
        return d;
    }
}
