package dev.tuneup.evaluate;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.data.ImageSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One evaluation of a bundle: on the test set (with the bundle's temperature, and before it), with
 * test-time augmentation, on every requested corruption and severity, and on another data set
 * (its known classes scored, its images used to measure out-of-distribution detection).
 */
public final class EvalRun {
    /** What to run beyond the clean test set. */
    public record Options(Tta tta, List<Corruption> corruptions, List<Integer> severities, long seed, int bootstrap) {
    }

    /** Accuracy, NLL and ECE on one corruption at one severity. */
    public record CorruptionResult(String corruption, int severity, double accuracy, double nll, double ece) {
    }

    /**
     * Another data set: how many images, how many in classes the model knows, those classes'
     * evaluation (null when none), and AUROC of telling the test set from all of its images.
     */
    public record Other(String name, int images, int known, Map<String, Integer> unknownClasses, Evaluation evaluation,
                        double aurocMsp, double aurocEnergy) {
    }

    /**
     * @param uncalibrated the test set at temperature 1 (equal to {@code clean} when the bundle's is 1)
     * @param tta          null without test-time augmentation
     */
    public record Report(String model, String data, double temperature, Evaluation clean, Evaluation uncalibrated,
                         Evaluation tta, String ttaMode, List<CorruptionResult> corruptions,
                         double meanCorruptionAccuracy, double relativeRobustness, Other other, double plainImagesPerSecond,
                         double corruptedImagesPerSecond) {
    }

    /** Told after each batch of work: images done, images in all. */
    @FunctionalInterface
    public interface Progress {
        void advance(long done, long total);
    }

    private EvalRun() {
    }

    public static Report run(ModelBundle.Loaded bundle, String data, ImageSet test, String otherName, ImageSet other,
                             Options o, NDManager manager, Progress progress) {
        Predictor p = new Predictor(bundle, manager, 256);
        List<String> classes = bundle.info().classes();
        double t = bundle.info().preprocessing().temperature();
        int levels = 0;
        for (Corruption c : o.corruptions()) {
            levels += (int) o.severities().stream().filter(s -> s <= c.levels()).count();
        }
        long total = (long) test.size() * (1 + Tta.views(o.tta()) - 1 + levels) + (other == null ? 0 : other.size());
        long[] done = {0};
        Runnable step = () -> progress.advance(done[0], total);

        p.logits(test.subset(java.util.stream.IntStream.range(0, Math.min(1024, test.size())).toArray())); // warm-up
        long t0 = System.nanoTime();
        float[][] logits = p.logits(test);
        double plainRate = test.size() / ((System.nanoTime() - t0) / 1e9);
        done[0] += test.size();
        step.run();
        int[] labels = test.labels();
        Evaluation clean = Evaluation.of(Temperature.softmax(logits, t), labels, classes, Calibrate.BINS, o.bootstrap(),
                o.seed());
        Evaluation raw = t == 1.0 ? clean : Evaluation.of(Temperature.softmax(logits, 1), labels, classes,
                Calibrate.BINS, 0, o.seed());
        Evaluation tta = null;
        if (o.tta() != Tta.NONE) {
            tta = Evaluation.of(o.tta().probabilities(p, test), labels, classes, Calibrate.BINS, o.bootstrap(), o.seed());
            done[0] += (long) test.size() * (Tta.views(o.tta()) - 1);
            step.run();
        }

        List<CorruptionResult> results = new ArrayList<>();
        long c0 = System.nanoTime();
        long corrupted = 0;
        for (Corruption c : o.corruptions()) {
            for (int s : o.severities()) {
                if (s > c.levels()) {
                    continue;
                }
                ImageSet bad = Corruptions.apply(test, c, s, o.seed());
                Evaluation e = Evaluation.of(Temperature.softmax(p.logits(bad), t), labels, classes, Calibrate.BINS, 0,
                        o.seed());
                results.add(new CorruptionResult(c.id(), s, e.accuracy(), e.nll(), e.calibration().ece()));
                corrupted += test.size();
                done[0] += test.size();
                step.run();
            }
        }
        double corruptRate = corrupted == 0 ? Double.NaN : corrupted / ((System.nanoTime() - c0) / 1e9);
        double mca = results.stream().mapToDouble(CorruptionResult::accuracy).average().orElse(Double.NaN);

        Other otherResult = null;
        if (other != null) {
            float[][] oz = p.logits(other);
            done[0] += other.size();
            step.run();
            Aligned a = Aligned.of(other, classes, Map.of());
            Evaluation oe = null;
            if (a.known().size() > 0) {
                float[][] known = new float[a.indices().length][];
                for (int i = 0; i < known.length; i++) {
                    known[i] = oz[a.indices()[i]]; // the same images, already predicted
                }
                oe = Evaluation.of(Temperature.softmax(known, t), a.known().labels(), classes, Calibrate.BINS, 0, o.seed());
            }
            otherResult = new Other(otherName, other.size(), a.known().size(), a.unknown(), oe,
                    Ood.auroc(Ood.msp(logits), Ood.msp(oz)), Ood.auroc(Ood.energy(logits), Ood.energy(oz)));
        }
        return new Report(bundle.dir() == null ? "" : bundle.dir().toString(), data, t, clean, raw, tta,
                o.tta().name().toLowerCase(java.util.Locale.ROOT), results, mca, mca / clean.accuracy(), otherResult,
                plainRate, corruptRate);
    }
}
