package dev.tuneup.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sanity check on synthetic data with known label errors: 2000 examples, 4 classes, 20% of labels flipped
 * uniformly to another class; the "model" is softmax(3 * onehot(true) + N(0, 1)), out-of-sample by
 * construction since it never sees the given labels. (No cleanlab oracle: it is not installed here.)
 */
class ConfidentLearningNoiseTest {
    static final int N = 2000;
    static final int K = 4;

    @Test
    void findsMostFlippedLabelsAndFewOthers() {
        SplittableRandom rng = new SplittableRandom(20210701);
        float[][] pred = new float[N][K];
        int[] given = new int[N];
        Set<Integer> flipped = new HashSet<>();
        for (int x = 0; x < N; x++) {
            int truth = rng.nextInt(K);
            double[] logits = new double[K];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < K; j++) {
                logits[j] = (j == truth ? 3.0 : 0.0) + gaussian(rng);
                max = Math.max(max, logits[j]);
            }
            double sum = 0;
            for (int j = 0; j < K; j++) {
                logits[j] = Math.exp(logits[j] - max);
                sum += logits[j];
            }
            for (int j = 0; j < K; j++) {
                pred[x][j] = (float) (logits[j] / sum);
            }
            given[x] = truth;
            if (rng.nextDouble() < 0.2) {
                given[x] = (truth + 1 + rng.nextInt(K - 1)) % K;
                flipped.add(x);
            }
        }
        for (Method method : Method.values()) {
            LabelIssues r = ConfidentLearning.find(pred, given, method, Ranking.SELF_CONFIDENCE);
            int hits = 0;
            for (int x : r.indices()) {
                hits += flipped.contains(x) ? 1 : 0;
            }
            double precision = hits / (double) r.issues().size();
            double recall = hits / (double) flipped.size();
            String what = method + ": " + r.issues().size() + " flagged, " + flipped.size() + " flipped, precision "
                    + precision + ", recall " + recall + ", estimated noise " + r.estimatedNoise();
            assertTrue(precision > 0.8, what);
            assertTrue(recall > 0.8, what);
            assertEquals(flipped.size() / (double) N, r.estimatedNoise(), 0.05, what);
            for (int i = 1; i < r.issues().size(); i++) {
                assertTrue(r.issues().get(i - 1).score() <= r.issues().get(i).score(), "ascending scores");
            }
        }
    }

    /** Standard normal by Box-Muller, so the test depends only on SplittableRandom's documented sequence. */
    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
