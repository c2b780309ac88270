package dev.tuneup.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * Weighted sums over the examples: the sufficient statistics of every metric. An example's weight is
 * how many times it is counted: 1 for the point estimate, its multiplicity in a bootstrap resample.
 * Point estimates and resamples therefore share one code path.
 */
final class Tally {
    final Examples ex;
    long n;
    long correct;
    long topKHits;
    double nllSum;
    double brierSum;
    final long[] truePositives;
    final long[] predicted;
    final long[] support;
    final long[] binCount;
    final long[] binCorrect;
    final double[] binConfidence;

    private Tally(Examples ex) {
        this.ex = ex;
        truePositives = new long[ex.classes];
        predicted = new long[ex.classes];
        support = new long[ex.classes];
        binCount = new long[ex.bins];
        binCorrect = new long[ex.bins];
        binConfidence = new double[ex.bins];
    }

    /** Sums with every example counted {@code weights[i]} times, or once when {@code weights} is null. */
    static Tally of(Examples ex, int[] weights) {
        Tally t = new Tally(ex);
        for (int i = 0; i < ex.n; i++) {
            int w = weights == null ? 1 : weights[i];
            if (w == 0) {
                continue;
            }
            boolean hit = ex.label[i] == ex.predicted[i];
            t.n += w;
            t.correct += hit ? w : 0;
            t.topKHits += ex.topKHit[i] ? w : 0;
            t.nllSum += w * ex.nll[i];
            t.brierSum += w * ex.brier[i];
            t.truePositives[ex.label[i]] += hit ? w : 0;
            t.predicted[ex.predicted[i]] += w;
            t.support[ex.label[i]] += w;
            t.binCount[ex.bin[i]] += w;
            t.binCorrect[ex.bin[i]] += hit ? w : 0;
            t.binConfidence[ex.bin[i]] += w * ex.confidence[i];
        }
        return t;
    }

    double accuracy() {
        return correct / (double) n;
    }

    double topKAccuracy() {
        return topKHits / (double) n;
    }

    double nll() {
        return nllSum / n;
    }

    double brier() {
        return brierSum / n;
    }

    double precision(int c) {
        return predicted[c] == 0 ? 0 : truePositives[c] / (double) predicted[c];
    }

    double recall(int c) {
        return support[c] == 0 ? 0 : truePositives[c] / (double) support[c];
    }

    /** F1 as scikit-learn 1.2 computes it: 2PR / (P + R), 0 when P + R = 0. */
    double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    List<ClassMetrics> perClass(List<String> names) {
        List<ClassMetrics> rows = new ArrayList<>(ex.classes);
        for (int c = 0; c < ex.classes; c++) {
            rows.add(new ClassMetrics(names.get(c), precision(c), recall(c), f1(c), (int) support[c]));
        }
        return rows;
    }

    double macroF1() {
        double sum = 0;
        for (int c = 0; c < ex.classes; c++) {
            sum += f1(c);
        }
        return sum / ex.classes;
    }

    Averages macro() {
        double p = 0;
        double r = 0;
        for (int c = 0; c < ex.classes; c++) {
            p += precision(c);
            r += recall(c);
        }
        return new Averages(p / ex.classes, r / ex.classes, macroF1());
    }

    Averages weighted() {
        double p = 0;
        double r = 0;
        double f = 0;
        for (int c = 0; c < ex.classes; c++) {
            p += precision(c) * support[c];
            r += recall(c) * support[c];
            f += f1(c) * support[c];
        }
        return new Averages(p / n, r / n, f / n);
    }

    double ece() {
        double sum = 0;
        for (int b = 0; b < ex.bins; b++) {
            if (binCount[b] > 0) {
                sum += Math.abs(binCorrect[b] / (double) binCount[b] - binConfidence[b] / binCount[b]) * binCount[b] / n;
            }
        }
        return sum;
    }

    Calibration calibration() {
        List<ReliabilityBin> bins = new ArrayList<>(ex.bins);
        double mce = 0;
        for (int b = 0; b < ex.bins; b++) {
            long c = binCount[b];
            double conf = c == 0 ? Double.NaN : binConfidence[b] / c;
            double acc = c == 0 ? Double.NaN : binCorrect[b] / (double) c;
            ReliabilityBin bin = new ReliabilityBin(b / (double) ex.bins, (b + 1) / (double) ex.bins, (int) c, conf, acc);
            mce = Math.max(mce, bin.gap());
            bins.add(bin);
        }
        return new Calibration(ece(), mce, bins);
    }
}
