package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.DataSources;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.data.Subsets;
import dev.tuneup.evaluate.Aligned;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.report.EvalReport;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.Lineage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code tuneup eval}: a bundle on a test set, its corruptions and another data set, into a run folder. */
public final class EvalWorkflow {
    /**
     * What to evaluate.
     *
     * @param other   another labelled data set (all its splits), or null
     * @param limit   at most this many images per class (0 = all)
     */
    public record Request(Path model, String data, String split, String other, EvalRun.Options options, int limit,
                          List<Path> dataDirs) {
    }

    private EvalWorkflow() {
    }

    /** Evaluates and writes eval.txt, eval.json and the plots into {@code dir}. */
    public static EvalRun.Report run(Request q, RunDir dir, Reporter reporter) throws IOException {
        return Tracked.run(dir, RunKind.EVAL, List.of(Lineage.to(Lineage.SOURCE, q.model())), () -> evaluate(q, dir,
                reporter), r -> Tracked.Outcome.finished(String.format(java.util.Locale.ROOT, "accuracy %.4f on %s",
                r.clean().accuracy(), r.data())));
    }

    private static EvalRun.Report evaluate(Request q, RunDir dir, Reporter reporter) throws IOException {
        Reporter out = reporter.logTo(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = ModelBundle.load(q.model(), manager);
            Preprocessing p = b.info().preprocessing();
            ImageSet known = split(b, q.data(), q.split(), q.dataDirs(), out);
            ImageSet set = q.limit() > 0 ? Subsets.perClass(known, q.limit(), q.options().seed()) : known;
            ImageSet otherSet = null;
            if (q.other() != null) {
                Dataset od = DataSources.load(q.other(), q.dataDirs(), load(p));
                otherSet = Aligned.conform(od.has(Dataset.TEST) ? od.split(Dataset.TEST)
                        : od.splits().values().stream().reduce(ImageSet::concat).orElseThrow(), p.fit(), p.channels());
            }
            EvalRun.Options o = q.options();
            out.line("evaluating " + q.model() + " on " + q.data() + "/" + q.split() + " (" + set.size() + " images)"
                    + (o.corruptions().isEmpty() ? "" : ", " + o.corruptions().size() + " corruptions at severities "
                    + o.severities()) + (q.other() == null ? "" : ", other data " + q.other()));
            EvalRun.Report r;
            try (Reporter.Progress bar = reporter.progress("eval", 1, "img")) {
                r = EvalRun.run(b, q.data() + "/" + q.split(), set, q.other(), otherSet, o, manager, (done, total) -> {
                    bar.maxHint(total);
                    bar.stepTo(done);
                });
            }
            String text = EvalReport.text(r);
            reporter.block(text);
            dir.write("eval.txt", text);
            EvalReport.write(dir.path(), r);
            out.line("eval.json, confusion.png, reliability.png" + (r.corruptions().isEmpty() ? "" : ", corruptions.png")
                    + " -> " + dir.path());
            return r;
        }
    }

    /** {@code split} of {@code data} at the bundle's size and channels, in its classes (others left out and said). */
    public static ImageSet split(ModelBundle.Loaded b, String data, String split, List<Path> dataDirs, Reporter out) {
        Preprocessing p = b.info().preprocessing();
        Dataset d = DataSources.load(data, dataDirs, load(p));
        if (!d.has(split)) {
            throw new TuneupException(data + " has no split '" + split + "'", "use one of " + d.splits().keySet());
        }
        Aligned test = Aligned.of(Aligned.conform(d.split(split), p.fit(), p.channels()),
                b.info().classes(), Map.of());
        if (!test.unknown().isEmpty()) {
            out.line("left out images of classes the model does not know: " + test.unknown());
        }
        return test.known();
    }

    private static LoadOptions load(Preprocessing p) {
        return p.load(LoadOptions.defaults());
    }
}
