package dev.tuneup.cli;

import dev.tuneup.repair.UserLabels;
import dev.tuneup.serve.LogReader;
import dev.tuneup.workflow.RepairWorkflow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tuneup repair}: continue fine-tuning a bundle to fix a measured weakness, and accept the
 * candidate only through the regression gate. {@code augment}: augmentation aimed at the weakest
 * corruptions (targeted metric: mean corruption accuracy). {@code reweight}: oversample the classes
 * with the highest validation error (targeted metric: the worst class's test recall).
 * {@code feedback}: user corrections, from a CSV of training-image sources (targeted metric: test
 * accuracy must not fall) or from a {@code tuneup serve} log (targeted metric: accuracy on held-out
 * corrections). {@code auto} picks one from the model's own evaluation and says why.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Repair a bundle by continued fine-tuning, accepted only through the regression gate"
                + " (docs/repair.md): --strategy auto (chosen from the evaluation), augment (weakest corruptions), reweight"
                + " (weakest classes) or feedback (--feedback corrections.csv, or --db from tuneup serve). Label errors"
                + " are found and repaired with tuneup label-issues --fix.")
public final class RepairCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "The bundle to repair.")
    Path model;

    @Option(names = "--strategy", defaultValue = "auto", converter = Usage.StrategyConverter.class,
            description = "auto, augment, reweight or feedback (default ${DEFAULT-VALUE}).")
    RepairWorkflow.Strategy strategy;

    @Option(names = "--feedback", paramLabel = "CSV", description = "Corrections (source,label) for --strategy feedback.")
    Path feedback;

    @Option(names = "--db", paramLabel = "FILE|JDBC-URL",
            description = "A tuneup serve log whose corrections feed --strategy feedback.")
    String db;

    @Option(names = "--feedback-weight", defaultValue = "5",
            description = "Times each served correction is repeated in training (default ${DEFAULT-VALUE}).")
    int feedbackWeight;

    @Mixin
    ConfigOptions configs;

    @Option(names = "--weakest", defaultValue = "0", description = "augment: how many of the weakest corruptions to"
            + " target (default ${DEFAULT-VALUE}: all of them, which gained most on the selection split, docs/repair.md).")
    int weakest;

    @Option(names = "--replay", defaultValue = "0.5", description = "augment: share of training images that skip the"
            + " targeted ops, replaying the data as the model learned it (default ${DEFAULT-VALUE}).")
    double replay;

    @Option(names = "--jsd", defaultValue = "0", paramLabel = "WEIGHT", description = "augment: AugMix-style"
            + " consistency training instead of replay: the loss sees clean images and this weight pulls two views with"
            + " the targeted ops toward them (Jensen-Shannon; AugMix uses 12; needs --replay 0).")
    double jsd;

    @Option(names = "--eval-per-class", defaultValue = "200",
            description = "Test images per class for the report after the decision (0 = all).")
    int perClass;

    @Option(names = "--min-gain", defaultValue = "0.01", description = "Required gain of the targeted metric.")
    double minGain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (strategy == RepairWorkflow.Strategy.FEEDBACK && (feedback == null) == (db == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--strategy feedback needs either"
                    + " --feedback corrections.csv or --db feedback.db (from tuneup serve)");
        }
        if (perClass < 0 || feedbackWeight < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--feedback-weight must be at least 1,"
                    + " --eval-per-class at least 0");
        }
        RepairWorkflow.Aim aim = Usage.parse(spec, "--weakest/--replay/--jsd", "",
                x -> new RepairWorkflow.Aim(weakest, replay, jsd));
        var run = configs.resolve();
        RepairWorkflow.run(run, new RepairWorkflow.Request(model, strategy, feedback, db == null ? null : log(db),
                feedbackWeight, aim, perClass, minGain), ConsoleReporter.of(spec));
        return 0;
    }

    /** The users' labels in a serve log, read when the repair knows the bundle's classes and input size. */
    private static UserLabels.Source log(String db) {
        return new UserLabels.Source() {
            @Override
            public UserLabels read(List<String> classes, dev.tuneup.data.Fit fit, int channels) {
                try (LogReader log = new LogReader(db)) {
                    return log.corrections(classes, fit, channels);
                }
            }

            @Override
            public String name() {
                return db;
            }
        };
    }
}
