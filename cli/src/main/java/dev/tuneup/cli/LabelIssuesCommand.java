package dev.tuneup.cli;

import dev.tuneup.config.ResolvedRun;
import dev.tuneup.config.RunConfig;
import dev.tuneup.repair.LabelRepair;
import dev.tuneup.repair.Method;
import dev.tuneup.repair.Ranking;
import dev.tuneup.workflow.DistributedFolds;
import dev.tuneup.workflow.LabelIssuesWorkflow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tuneup label-issues}: likely label errors by cross-fitting and confident learning, optionally repaired. */
@Command(name = "label-issues", mixinStandardHelpOptions = true,
        description = "Find likely label errors in a run config's training data: out-of-sample probabilities by K-fold"
                + " cross-fitting, then confident learning (docs/repair.md). Writes label-issues.csv and a picture;"
                + " --fix trains a model per fix, the regression gate chooses on the validation split, and the test"
                + " split is read once afterwards and reported.")
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

    @Option(names = "--fix", defaultValue = "none", split = ",", paramLabel = "FIX",
            description = "none, drop, relabel, relabel_confident (relabel where the out-of-sample probability"
                    + " reaches --confidence, drop the rest), forward (keep every label, correct the loss by the"
                    + " estimated noise matrix) or soft (suspects train on their out-of-sample probabilities);"
                    + " several, comma-separated, are each trained and the gate chooses on the validation split"
                    + " (default ${DEFAULT-VALUE}).",
            converter = Usage.FixConverter.class)
    List<LabelRepair.Fix> fixes;

    @Option(names = "--fold-set", paramLabel = "KEY=VALUE", description = "Override a config key for the"
            + " cross-fitting folds only, e.g. --fold-set training.epochs=12 (repeatable; model, training, optimizer,"
            + " schedule and augment keys: the folds see the run's own images). Detection can use a stronger model"
            + " than the one being repaired.")
    List<String> foldSets = new ArrayList<>();

    @Option(names = "--given-weight", defaultValue = "1", description = "soft: the weight of the given label in"
            + " the targets of the images not flagged, the rest from their out-of-sample probabilities (default"
            + " ${DEFAULT-VALUE}: they train on their labels; suspects always train on the probabilities).")
    double givenWeight;

    @Option(names = "--confidence", defaultValue = "0.8", description = "relabel_confident relabels from this"
            + " out-of-sample probability of the suggested class (default ${DEFAULT-VALUE}).")
    double confidence;

    @Option(names = "--rebalance", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "After dropping, repeat kept images per class up to the estimated true class sizes, so the"
                    + " repaired model gets as many steps as the one it replaces (default ${DEFAULT-VALUE};"
                    + " --no-rebalance trains on the smaller set).")
    boolean rebalance;

    @Option(names = "--inject-noise", paramLabel = "RATE|PAIRS",
            description = "For experiments: change training labels first (seeded) and keep the true ones: a rate"
                    + " (0.2: uniformly to another class) or class pairs ('Shirt>T-shirt/top=0.4, Coat>Pullover=0.3');"
                    + " reports detection precision/recall and trains a model on the true labels and a shuffled control.")
    String noise;

    @Option(names = "--spark", description = "Train the cross-fitting folds as Apache Spark tasks (embedded local mode"
            + " unless --master; needs the spark module, docs/spark.md).")
    boolean spark;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master for the folds, e.g. local[2] or"
            + " spark://host:7077 (implies --spark).")
    String master;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (folds < 2 || !(confidence >= 0 && confidence <= 1) || !(givenWeight >= 0 && givenWeight <= 1)) {
            throw new ParameterException(spec.commandLine(), "--folds must be at least 2 and"
                    + " --confidence and --given-weight in [0, 1]");
        }
        Method m = Usage.parse(spec, "--method", method, Method::parse);
        Ranking r = Usage.parse(spec, "--rank", rank, Ranking::parse);
        UnaryOperator<RunConfig> own = c -> base == null ? c
                : c.withFinetune(c.finetune().withBase(base));
        ResolvedRun run = configs.load(own).resolve();
        for (String f : foldSets) {
            String key = f.split("=", 2)[0].trim();
            if (key.startsWith("data.") || key.equals("data") || key.startsWith("output.") || key.equals("output")) {
                throw new ParameterException(spec.commandLine(), "--fold-set " + f + ": the folds"
                        + " train on the run's own images and write into its folder; set data and output keys with --set");
            }
        }
        ResolvedRun foldRun = foldSets.isEmpty() ? null : configs.load(own, foldSets).resolve();
        LabelIssuesWorkflow.Request q = new LabelIssuesWorkflow.Request(folds, m, r, fixes, confidence, givenWeight,
                rebalance, noise, foldRun);
        if (spark || master != null) {
            DistributedFolds engine = DistributedFolds.find(); // before a run folder is made
            LabelIssuesWorkflow.run(run, q, ConsoleReporter.of(spec), (rr, images, k, dir, manager, say)
                    -> engine.outOfSample(rr, images, k, dir, master, say));
        } else {
            LabelIssuesWorkflow.run(run, q, ConsoleReporter.of(spec));
        }
        return 0;
    }
}
