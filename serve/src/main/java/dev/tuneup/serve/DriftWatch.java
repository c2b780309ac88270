package dev.tuneup.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Profile;
import dev.tuneup.monitor.Drift;

/**
 * The last {@code window} answers of the current model version, compared with its bundle's
 * validation profile at each {@code /metrics} scrape. A hot swap starts a new window. Without a
 * profile in the bundle (bundles from before profiles) the drift gauges read NaN.
 */
final class DriftWatch {
    private final int window;
    private final int[] classes;
    private final double[] confidences;
    private Drift drift;
    private String version;
    private int next;
    private int size;

    DriftWatch(int window, ServeMetrics metrics) {
        this.window = window;
        this.classes = new int[window];
        this.confidences = new double[window];
        metrics.gauge("tuneup_drift_class_psi", "PSI of the predicted-class shares of recent answers vs validation",
                () -> report().classPsi());
        metrics.gauge("tuneup_drift_confidence_psi", "PSI of the confidence of recent answers vs validation",
                () -> report().confidencePsi());
        metrics.gauge("tuneup_drift_confidence_ks", "binned two-sample KS statistic of the confidence vs validation",
                () -> report().ks());
        metrics.gauge("tuneup_drift_level", "0 too few answers, 1 stable, 2 moderate shift, 3 shift",
                () -> report().level().ordinal());
        metrics.gauge("tuneup_drift_window", "answers in the drift window", () -> report().n());
    }

    /** Starts a new window for {@code version}, compared with {@code info}'s profile. */
    synchronized void reference(String v, ModelBundle.Info info) {
        version = v;
        drift = info.profile() == null ? null : new Drift(info.profile(), info.classes());
        next = 0;
        size = 0;
    }

    /** Counts one answer of {@code v} (answers of a swapped-out version are not counted). */
    synchronized void add(String v, int predicted, double confidence) {
        if (!v.equals(version)) {
            return;
        }
        classes[next] = predicted;
        confidences[next] = confidence;
        next = (next + 1) % window;
        size = Math.min(size + 1, window);
    }

    /** The drift of the current window; NaN statistics when the bundle has no profile. */
    synchronized Drift.Report report() {
        if (drift == null) {
            return new Drift.Report(size, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN,
                    Drift.Level.INSUFFICIENT, "the bundle has no validation profile; train or fine-tune it again with"
                    + " this tuneup to monitor drift");
        }
        Profile p = drift.reference();
        long[] byClass = new long[p.classShare().length];
        long[] byBin = new long[p.confidenceShare().length];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            byClass[classes[i]]++;
            byBin[p.confidenceBin(confidences[i])]++;
            sum += confidences[i];
        }
        return drift.report(byClass, byBin, size == 0 ? 0 : sum / size);
    }

    /** The profile of {@code info} as JSON for the log's models table, or null. */
    static String profileJson(ModelBundle.Info info) {
        try {
            return info.profile() == null ? null : Responses.JSON.writeValueAsString(info.profile());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
