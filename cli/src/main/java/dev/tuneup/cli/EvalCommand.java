package dev.tuneup.cli;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.DataSources;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.data.Subsets;
import dev.tuneup.evaluate.Aligned;
import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.Corruptions;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.evaluate.Tta;
import dev.tuneup.report.EvalReport;
import dev.tuneup.track.RunDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup eval}: a bundle on a test set, its corruptions and another data set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model bundle on a test set (metrics with 95% intervals, confusion, calibration),"
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

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples for 95% intervals.")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of corruptions and resampling.")
    long seed;

    @Option(names = "--out", defaultValue = "runs", description = "Folder for the eval folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Extra folders to search for named data sets.")
    List<Path> dataDirs = new java.util.ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        EvalRun.Options o = new EvalRun.Options(Tta.parse(tta), corruptions.equals("none") ? List.of()
                : Corruption.parse(corruptions), Corruptions.parseSeverities(severities), seed, bootstrap);
        run(model, data, split, other, o, limit, dataDirs, RunDir.create(out, "eval"), spec.commandLine().getOut());
        return 0;
    }

    /** {@code split} of {@code data} at the bundle's size and channels, in its classes (others left out and said). */
    static ImageSet split(ModelBundle.Loaded b, String data, String split, List<Path> dataDirs, RunDir dir,
                          PrintWriter out) {
        Preprocessing p = b.info().preprocessing();
        LoadOptions load = LoadOptions.defaults().withChannels(p.channels()).withSize(p.height(), p.width());
        Dataset d = DataSources.load(data, dataDirs, load);
        if (!d.has(split)) {
            throw new dev.tuneup.TuneupException(data + " has no split '" + split + "'", "use one of "
                    + d.splits().keySet());
        }
        Aligned test = Aligned.of(Aligned.conform(d.split(split), p.height(), p.width(), p.channels()),
                b.info().classes(), Map.of());
        if (!test.unknown().isEmpty()) {
            TrainRunner.say(out, dir, "left out images of classes the model does not know: " + test.unknown());
        }
        return test.known();
    }

    /** Evaluates and writes the report into {@code dir}; shared with quickstart. */
    static EvalRun.Report run(Path model, String data, String split, String other, EvalRun.Options o, int limit,
                              List<Path> dataDirs, RunDir dir, PrintWriter out) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = ModelBundle.load(model, manager);
            Preprocessing p = b.info().preprocessing();
            LoadOptions load = LoadOptions.defaults().withChannels(p.channels()).withSize(p.height(), p.width());
            ImageSet known = split(b, data, split, dataDirs, dir, out);
            ImageSet set = limit > 0 ? Subsets.perClass(known, limit, o.seed()) : known;
            ImageSet otherSet = null;
            if (other != null) {
                Dataset od = DataSources.load(other, dataDirs, load);
                otherSet = Aligned.conform(od.has(Dataset.TEST) ? od.split(Dataset.TEST)
                        : od.splits().values().stream().reduce(ImageSet::concat).orElseThrow(), p.height(), p.width(),
                        p.channels());
            }
            TrainRunner.say(out, dir, "evaluating " + model + " on " + data + "/" + split + " (" + set.size() + " images)"
                    + (o.corruptions().isEmpty() ? "" : ", " + o.corruptions().size() + " corruptions at severities "
                    + o.severities()) + (other == null ? "" : ", other data " + other));
            EvalRun.Report r;
            try (ProgressBar bar = Progress.bar("eval", 1, "img")) {
                r = EvalRun.run(b, data + "/" + split, set, other, otherSet, o, manager, (done, total) -> {
                    bar.maxHint(total);
                    bar.stepTo(done);
                });
            }
            String text = EvalReport.text(r);
            out.print(text);
            out.flush();
            dir.write("eval.txt", text);
            EvalReport.write(dir.path(), r);
            TrainRunner.say(out, dir, "eval.json, confusion.png, reliability.png" + (r.corruptions().isEmpty() ? ""
                    : ", corruptions.png") + " -> " + dir.path());
            return r;
        }
    }
}
