package dev.tuneup.repair;

import java.util.List;

/**
 * What confident learning found in a labelled data set.
 *
 * @param issues         suspected label errors, most suspicious first (ascending {@link Issue#score()})
 * @param thresholds     per-class confidence thresholds t_j
 * @param confidentJoint the calibrated confident joint, [given][true], rows sum to the label counts, total n
 * @param noiseMatrix    P(given = i | true = j), [given][true], columns sum to 1
 * @param estimatedNoise estimated fraction of all labels that are wrong, 1 - trace(Q)
 */
public record LabelIssues(List<Issue> issues, double[] thresholds, int[][] confidentJoint, double[][] noiseMatrix,
        double estimatedNoise) {
    public LabelIssues {
        issues = List.copyOf(issues);
    }

    /** The example indices of the issues, in ranking order. */
    public int[] indices() {
        return issues.stream().mapToInt(Issue::index).toArray();
    }

    /** Q = confidentJoint / n, the estimated joint P(given = i, true = j). */
    public double[][] joint() {
        return NoiseEstimates.joint(confidentJoint);
    }

    /** P(true = j | given = i), indexed [true][given] like cleanlab; columns sum to 1. */
    public double[][] inverseNoiseMatrix() {
        return NoiseEstimates.inverseNoiseMatrix(confidentJoint);
    }

    /** Per given class, the estimated fraction of its labels that are wrong, 1 - P(true = i | given = i). */
    public double[] noiseRates() {
        return NoiseEstimates.noiseRates(confidentJoint);
    }
}
