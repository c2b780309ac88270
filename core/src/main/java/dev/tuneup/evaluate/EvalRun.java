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
    /**
     * Images per forward pass. libtorch's float results depend on a batch's size, so a run split across
     * machines predicts in these same batches (slices starting at multiples of it) to give the same logits.
     */
    public static final int BATCH = 256;

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
        Predictor p = new Predictor(bundle, manager, BATCH);
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
        Evaluation clean = clean(logits, labels, classes, t, o);
        Evaluation raw = uncalibrated(clean, logits, labels, classes, t, o);
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
                results.add(corrupted(c, s, p.logits(bad), labels, classes, t, o));
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

    /** Logits of the test set under one corruption at one severity, one row per test image in test order. */
    public record CorruptedLogits(Corruption corruption, int severity, float[][] logits) {
    }

    /**
     * The report of a run whose logits were computed elsewhere (on other machines): the same metrics,
     * by the same code, as {@link #run} computes from the same logits. No test-time augmentation and no
     * other data set.
     *
     * @param logits    the clean test set's logits, one row per image in test order
     * @param corrupted in the order of {@code o.corruptions()}, then {@code o.severities()}
     * @param plainRate images per second of the clean pass, NaN if unknown
     * @param corruptRate images per second of the corrupted passes, NaN if none
     */
    public static Report fromLogits(String model, String data, ModelBundle.Info info, int[] labels, float[][] logits,
                                    List<CorruptedLogits> corrupted, Options o, double plainRate, double corruptRate) {
        if (o.tta() != Tta.NONE) {
            throw new dev.tuneup.TuneupException("test-time augmentation is not computed from precomputed logits",
                    "run eval without --tta");
        }
        List<String> classes = info.classes();
        double t = info.preprocessing().temperature();
        Evaluation clean = clean(logits, labels, classes, t, o);
        List<CorruptionResult> results = new ArrayList<>();
        for (CorruptedLogits c : corrupted) {
            results.add(corrupted(c.corruption(), c.severity(), c.logits(), labels, classes, t, o));
        }
        double mca = results.stream().mapToDouble(CorruptionResult::accuracy).average().orElse(Double.NaN);
        return new Report(model, data, t, clean, uncalibrated(clean, logits, labels, classes, t, o), null,
                o.tta().name().toLowerCase(java.util.Locale.ROOT), results, mca, mca / clean.accuracy(), null,
                plainRate, corruptRate);
    }

    private static Evaluation clean(float[][] logits, int[] labels, List<String> classes, double t, Options o) {
        return Evaluation.of(Temperature.softmax(logits, t), labels, classes, Calibrate.BINS, o.bootstrap(), o.seed());
    }

    private static Evaluation uncalibrated(Evaluation clean, float[][] logits, int[] labels, List<String> classes,
                                           double t, Options o) {
        return t == 1.0 ? clean : Evaluation.of(Temperature.softmax(logits, 1), labels, classes, Calibrate.BINS, 0,
                o.seed());
    }

    private static CorruptionResult corrupted(Corruption c, int s, float[][] logits, int[] labels, List<String> classes,
                                              double t, Options o) {
        Evaluation e = Evaluation.of(Temperature.softmax(logits, t), labels, classes, Calibrate.BINS, 0, o.seed());
        return new CorruptionResult(c.id(), s, e.accuracy(), e.nll(), e.calibration().ece());
    }
}
