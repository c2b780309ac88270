package dev.tuneup.evaluate;

import java.util.List;

/**
 * How well confidence (the max probability) matches accuracy, over equal-width bins.
 *
 * @param ece  expected calibration error: sum over bins of |accuracy - confidence| * count / n
 *             (Naeini et al. 2015; Guo et al., "On Calibration of Modern Neural Networks", 2017)
 * @param mce  maximum calibration error: the largest |accuracy - confidence| over non-empty bins
 * @param bins the bins, lowest confidence first; empty bins included
 */
public record Calibration(double ece, double mce, List<ReliabilityBin> bins) {
    public Calibration {
        bins = List.copyOf(bins);
    }
}
