package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.data.DataSources;
import dev.tuneup.data.ImageFiles;
import dev.tuneup.data.KnownDataset;
import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.evaluate.Tta;
import dev.tuneup.report.EvalReport;
import dev.tuneup.track.Lineage;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tuneup eval --spark}: the clean test set and the corruption suite predicted on a cluster by a
 * {@link DistributedPrediction} engine, every metric computed here from the logits it returns by the
 * code single-machine {@code eval} uses ({@link EvalRun#fromLogits}), so the numbers are the same. The
 * images are listed, not loaded ({@link ImageFiles}), in the order a load gives them; the predictions
 * (one row per image and pass) go to {@code predictions/} in the run folder.
 */
public final class DistributedEvalWorkflow {
    /** @param format predictions table format, "parquet" or "csv" */
    public record Cluster(String master, String format) {
    }

    private DistributedEvalWorkflow() {
    }

    /** Evaluates on {@code engine} and writes eval.txt, eval.json, the plots and predictions/ into {@code dir}. */
    public static EvalRun.Report run(EvalWorkflow.Request q, Cluster c, DistributedPrediction engine, RunDir dir,
                                     Reporter reporter) throws IOException {
        refuseUnsupported(q);
        return Tracked.run(dir, RunKind.EVAL, List.of(Lineage.to(Lineage.SOURCE, q.model())), () -> evaluate(q, c,
                engine, dir, reporter), r -> Tracked.Outcome.finished(String.format(Locale.ROOT, "accuracy %.4f on %s",
                r.clean().accuracy(), r.data())));
    }

    private static EvalRun.Report evaluate(EvalWorkflow.Request q, Cluster c, DistributedPrediction engine, RunDir dir,
                                           Reporter reporter) throws IOException {
        Reporter out = reporter.logTo(dir);
        ModelBundle.Info info;
        try (NDManager manager = NDManager.newBaseManager()) {
            info = ModelBundle.load(q.model(), manager).info(); // verified before any worker reads it
        }
        List<ImageFiles.File> files = known(ImageFiles.list(folder(q.data(), q.dataDirs())), q.split(), info, out);
        List<DistributedPrediction.Variant> variants = variants(q.options());
        out.line("evaluating " + q.model() + " on " + q.data() + "/" + q.split() + " (" + files.size() + " images)"
                + (variants.size() == 1 ? "" : ", " + (variants.size() - 1) + " corrupted passes") + " with "
                + (c.master() == null ? "the default Spark master" : "Spark master " + c.master()));
        Path predictions = dir.path().resolve("predictions");
        DistributedPrediction.Result r = engine.run(new DistributedPrediction.Job(q.model(), files, variants,
                q.options().seed(), c.master(), predictions, c.format()), out);
        int[] labels = files.stream().mapToInt(ImageFiles.File::label).toArray();
        List<EvalRun.CorruptedLogits> corrupted = new ArrayList<>();
        for (int v = 1; v < variants.size(); v++) {
            corrupted.add(new EvalRun.CorruptedLogits(variants.get(v).corruption(), variants.get(v).severity(),
                    r.logits().get(v)));
        }
        double rate = (double) files.size() * variants.size() / r.seconds();
        EvalRun.Report report = EvalRun.fromLogits(q.model().toString(), q.data() + "/" + q.split(), info, labels,
                r.logits().get(0), corrupted, q.options(), rate, corrupted.isEmpty() ? Double.NaN : rate);
        String text = EvalReport.text(report);
        reporter.block(text);
        dir.write("eval.txt", text);
        EvalReport.write(dir.path(), report);
        out.line(String.format(Locale.ROOT, "%s: %d predictions in %.1f s (%.0f images/s, all passes)", r.where(),
                (long) files.size() * variants.size(), r.seconds(), rate));
        out.line("eval.json, confusion.png, reliability.png" + (corrupted.isEmpty() ? "" : ", corruptions.png")
                + ", predictions/ (" + c.format() + ") -> " + dir.path());
        return report;
    }

    private static void refuseUnsupported(EvalWorkflow.Request q) {
        List<String> no = new ArrayList<>();
        if (q.options().tta() != Tta.NONE) {
            no.add("--tta");
        }
        if (q.other() != null) {
            no.add("--other");
        }
        if (q.limit() > 0) {
            no.add("--limit");
        }
        if (!no.isEmpty()) {
            throw new TuneupException("eval --spark does not run " + String.join(", ", no),
                    "leave " + String.join(" and ", no) + " out, or run eval without --spark");
        }
    }

    /** The clean pass, then each corruption at each of its severities, in the single-machine order. */
    static List<DistributedPrediction.Variant> variants(EvalRun.Options o) {
        List<DistributedPrediction.Variant> v = new ArrayList<>();
        v.add(new DistributedPrediction.Variant(null, 0));
        for (Corruption c : o.corruptions()) {
            for (int s : o.severities()) {
                if (s <= c.levels()) {
                    v.add(new DistributedPrediction.Variant(c, s));
                }
            }
        }
        return v;
    }

    /** A data set's ImageFolder directory or manifest: a path, or a named set found on the search path. */
    static Path folder(String data, List<Path> dataDirs) {
        Path p = Path.of(data);
        if (Files.exists(p)) {
            return p;
        }
        KnownDataset known = KnownDataset.byName(data);
        Path found = known == null ? null : DataSources.locate(known, DataSources.searchPath(dataDirs));
        if (found == null) {
            throw new TuneupException(data + " is neither an ImageFolder directory nor a manifest" + (known == null ? ""
                    : " on the data search path"), "pass the folder of images (root/[split/]<class>/*.jpg) or a .csv"
                    + " manifest of path,label[,split] rows with --data");
        }
        return found;
    }

    /** The files of classes the model knows, relabelled to its class ids (by name, as {@code eval} does). */
    static List<ImageFiles.File> known(ImageFiles set, String split, ModelBundle.Info info, Reporter out) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < info.classes().size(); i++) {
            byName.put(info.classes().get(i).toLowerCase(Locale.ROOT), i);
        }
        List<ImageFiles.File> kept = new ArrayList<>();
        Map<String, Integer> unknown = new LinkedHashMap<>();
        for (ImageFiles.File f : set.split(split)) {
            String name = set.classes().get(f.label());
            Integer id = byName.get(name.toLowerCase(Locale.ROOT));
            if (id == null) {
                unknown.merge(name, 1, Integer::sum);
            } else {
                kept.add(new ImageFiles.File(f.source(), id));
            }
        }
        if (!unknown.isEmpty()) {
            out.line("left out images of classes the model does not know: " + unknown);
        }
        if (kept.isEmpty()) {
            throw new TuneupException("none of the images is of a class the model knows " + info.classes(),
                    "evaluate on data with those classes");
        }
        return kept;
    }
}
