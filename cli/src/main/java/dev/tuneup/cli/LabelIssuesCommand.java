package dev.tuneup.cli;

import ai.djl.ndarray.NDManager;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.LabelNoise;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.repair.LabelRepair;
import dev.tuneup.repair.Method;
import dev.tuneup.repair.Ranking;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.Runs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup label-issues}: likely label errors by cross-fitting and confident learning, optionally repaired. */
@Command(name = "label-issues", mixinStandardHelpOptions = true,
        description = "Find likely label errors in a run config's training data: out-of-sample probabilities by K-fold"
                + " cross-fitting, then confident learning (docs/repair.md). Writes label-issues.csv and a picture;"
                + " --fix drop|relabel also trains on the repaired labels and compares on the test set.")
public final class LabelIssuesCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configs;

    @Option(names = "--base", paramLabel = "BASE", description = "Fine-tune every fold's model from this base (bundle,"
            + " run or .pt) with the config's finetune recipe, instead of training from scratch.")
    String base;

    @Option(names = "--folds", defaultValue = "4", description = "Cross-fitting folds (default ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--method", defaultValue = "prune_by_noise_rate",
            description = "prune_by_noise_rate or confident_joint_offdiag (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--rank", defaultValue = "self_confidence",
            description = "self_confidence or normalized_margin (default ${DEFAULT-VALUE}).")
    String rank;

    @Option(names = "--fix", defaultValue = "none", description = "none, drop or relabel (default ${DEFAULT-VALUE}).")
    String fix;

    @Option(names = "--inject-noise", defaultValue = "0", paramLabel = "RATE",
            description = "For experiments: flip this fraction of training labels uniformly (seeded) first, keep the"
                    + " true labels, and report detection precision/recall and the accuracy of a model on true labels.")
    double noise;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        RunConfig c = configs.load(base == null ? List.of() : List.of("finetune.base=" + base));
        LabelRepair.Fix f;
        try {
            f = LabelRepair.Fix.valueOf(fix.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--fix must be none, drop or relabel");
        }
        Method m = Method.parse(method);
        Ranking r = Ranking.parse(rank);
        PrintWriter out = spec.commandLine().getOut();
        RunDir dir = RunDir.create(Path.of(c.output().dir()), c.output().name() + "-label-issues");
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(c));
        out.println("label issues -> " + dir.path());
        Runs.Images images = Runs.images(c, LoadOptions.defaults(), line -> TrainRunner.say(out, dir, line));
        int[] truth = null;
        if (noise > 0) {
            LabelNoise.Noisy noisy = LabelNoise.symmetric(images.train(), noise, c.training().seed());
            truth = noisy.trueLabels();
            images = new Runs.Images(images.name(), noisy.set(), images.val(), images.test(), images.augment());
            TrainRunner.say(out, dir, String.format(Locale.ROOT, "injected symmetric label noise: %d of %d training labels"
                    + " flipped (%.1f%%)", noisy.flippedCount(), noisy.set().size(), 100.0 * noisy.flippedCount()
                    / noisy.set().size()));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            LabelRepair.run(c, images, truth, folds, m, r, f, dir, manager, line -> TrainRunner.say(out, dir, line),
                    s -> List.of(new TrainRunner.Console(out, dir, s)));
        }
        return 0;
    }
}
