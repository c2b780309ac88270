package dev.tuneup.cli;

import dev.tuneup.JsonFiles;
import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.Corruptions;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.evaluate.Tta;
import dev.tuneup.track.RunDir;
import dev.tuneup.workflow.DistributedEvalWorkflow;
import dev.tuneup.workflow.DistributedPrediction;
import dev.tuneup.workflow.EvalWorkflow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup eval}: a bundle on a test set, its corruptions and another data set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model bundle on a test set (metrics with 95%% intervals, confusion, calibration),"
                + " on corrupted copies of it, with test-time augmentation, and on another data set (accuracy on"
                + " its known classes, out-of-distribution AUROC). Writes eval.json and plots (docs/evaluate.md).")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "The model bundle folder.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DATASET", description = "Data set name or path.")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "Split to evaluate (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--corruptions", defaultValue = "none", paramLabel = "all|none|LIST",
            description = "Corruptions to run (default ${DEFAULT-VALUE}); see docs/corruptions.md.")
    String corruptions;

    @Option(names = "--severities", defaultValue = "1-5", description = "Severities (default ${DEFAULT-VALUE}).")
    String severities;

    @Option(names = "--other", paramLabel = "DATASET", description = "Another labelled data set (all its splits).")
    String other;

    @Option(names = "--tta", defaultValue = "none", description = "none, flip or flip_crops (default ${DEFAULT-VALUE}).")
    String tta;

    @Option(names = "--limit", defaultValue = "0", description = "At most this many test images per class (0 = all).")
    int limit;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples for 95%% intervals.")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of corruptions and resampling.")
    long seed;

    @Option(names = "--out", defaultValue = "runs", description = "Folder for the new eval run folder (default"
            + " ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder to search for named data sets first"
            + " (repeatable).")
    List<Path> dataDirs = new ArrayList<>();

    @Option(names = "--spark", description = "Predict on Apache Spark (embedded local mode unless --master; needs the"
            + " spark module, docs/spark.md) and write every prediction to predictions/ in the run folder.")
    boolean spark;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2] or spark://host:7077"
            + " (implies --spark).")
    String master;

    @Option(names = "--predictions-format", defaultValue = "parquet", paramLabel = "parquet|csv",
            description = "Format of the --spark predictions table (default ${DEFAULT-VALUE}).")
    String predictionsFormat;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (limit < 0 || bootstrap < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit and --bootstrap must be >= 0");
        }
        EvalRun.Options o = new EvalRun.Options(Usage.parse(spec, "--tta", tta, Tta::parse),
                corruptions.equals("none") ? List.of() : Usage.parse(spec, "--corruptions", corruptions, Corruption::parse),
                Usage.parse(spec, "--severities", severities, Corruptions::parseSeverities), seed, bootstrap);
        EvalWorkflow.Request request = new EvalWorkflow.Request(model, data, split, other, o, limit, dataDirs);
        if (spark || master != null) {
            if (!predictionsFormat.equals("parquet") && !predictionsFormat.equals("csv")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--predictions-format must be"
                        + " parquet or csv, got '" + predictionsFormat + "'");
            }
            DistributedPrediction engine = DistributedPrediction.find(); // before a run folder is made
            RunDir dir = RunDir.create(out, "eval");
            DistributedEvalWorkflow.run(request, new DistributedEvalWorkflow.Cluster(master, predictionsFormat), engine,
                    dir, ConsoleReporter.of(spec, json.text(spec)));
            return finish(dir);
        }
        RunDir dir = RunDir.create(out, "eval");
        EvalWorkflow.run(request, dir, ConsoleReporter.of(spec, json.text(spec)));
        return finish(dir);
    }

    private int finish(RunDir dir) throws IOException {
        if (json.target != null) {
            json.write(spec, JsonFiles.MAPPER.readTree(dir.path().resolve("eval.json").toFile()));
        }
        return 0;
    }
}
