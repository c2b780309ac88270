package dev.tuneup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hand-computed losses on tiny inputs. */
class LossesTest {
    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    /** log-softmax of (0, ln 2, ln 3): log(1/6), log(2/6), log(3/6). */
    private static NDArray logits(NDManager m) {
        return m.create(new double[] {0, Math.log(2), Math.log(3)}, new Shape(1, 3));
    }

    @Test
    void crossEntropyWithAndWithoutSmoothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray label = m.create(new int[] {2});
            double nll = -Math.log(3.0 / 6);
            assertEquals(nll, Losses.crossEntropy(logits(m), label, 0).getDouble(), 1e-12);
            double uniform = -(Math.log(1.0 / 6) + Math.log(2.0 / 6) + Math.log(3.0 / 6)) / 3;
            assertEquals(0.9 * nll + 0.1 * uniform, Losses.crossEntropy(logits(m), label, 0.1).getDouble(), 1e-12);
        }
    }

    @Test
    void softTargetsReduceToHardOnesAndMixLinearly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray hard = m.create(new double[] {0, 0, 1}, new Shape(1, 3));
            assertEquals(-Math.log(0.5), Losses.softCrossEntropy(logits(m), hard, 0).getDouble(), 1e-12);
            NDArray mixed = m.create(new double[] {0.25, 0, 0.75}, new Shape(1, 3));
            double want = -(0.25 * Math.log(1.0 / 6) + 0.75 * Math.log(0.5));
            assertEquals(want, Losses.softCrossEntropy(logits(m), mixed, 0).getDouble(), 1e-12);
            NDArray label = m.create(new int[] {2});
            assertEquals(Losses.crossEntropy(logits(m), label, 0.1).getDouble(),
                    Losses.softCrossEntropy(logits(m), hard, 0.1).getDouble(), 1e-12, "same smoothing rule");
        }
    }

    @Test
    void forwardCorrectionTakesTheLossOnTheGivenLabelsProbabilities() {
        // p = (1/6, 2/6, 3/6); M[given][true], columns sum to 1: q = M p = (1.0, 2.9, 2.1) / 6
        double[][] noise = {{0.8, 0.1, 0}, {0.2, 0.9, 0.3}, {0, 0, 0.7}};
        try (NDManager m = NDManager.newBaseManager()) {
            double[] q = Losses.forwardLogProbs(logits(m), noise).exp().toDoubleArray();
            assertEquals(1.0 / 6, q[0], 1e-6);
            assertEquals(2.9 / 6, q[1], 1e-6);
            assertEquals(2.1 / 6, q[2], 1e-6);
            NDArray label = m.create(new int[] {2});
            assertEquals(-Math.log(2.1 / 6), Losses.nll(Losses.forwardLogProbs(logits(m), noise), label, 0).getDouble(),
                    1e-6);
            double[][] identity = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
            assertEquals(Losses.crossEntropy(logits(m), label, 0.1).getDouble(),
                    Losses.nll(Losses.forwardLogProbs(logits(m), identity), label, 0.1).getDouble(), 1e-6,
                    "no noise, no correction");
        }
        TrainConfig c = TrainConfig.defaults(1, 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> c.withNoiseMatrix(new double[][] {{0.8, 0.1}, {0.1, 0.9}}));
        assertTrue(e.getMessage().contains("column 0 sums to 0.9"), e.getMessage());
        assertEquals(0.9, c.withNoiseMatrix(noise).withEpochs(3).noiseMatrix()[1][1], 0, "kept by the withers");
    }

    @Test
    void l1AndGradientClipping() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new double[] {1, -2});
            NDArray b = m.create(new double[] {-0.5});
            assertEquals(0.1 * 3.5, Losses.l1(List.of(a, b), 0.1).getDouble(), 1e-7); // lambda is applied as a float
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.zeroGradients();
                gc.backward(a.mul(m.create(new double[] {3, 0})).sum().add(b.mul(4).sum())); // grads (3, 0), (4)
            }
            List<ParamRef> ps = List.of(new ParamRef("a", a, 1, 0), new ParamRef("b", b, 1, 0));
            assertEquals(5.0, Losses.clipGradNorm(ps, 1.0), 1e-12);
            double[] ga = a.getGradient().toDoubleArray();
            assertEquals(3.0 / (5 + 1e-6), ga[0], 1e-9);
            assertEquals(4.0 / (5 + 1e-6), b.getGradient().toDoubleArray()[0], 1e-9);
            assertEquals(1.0, Losses.clipGradNorm(ps, 0), 1e-5, "after clipping the norm is max");
        }
    }

    @Test
    void nonFiniteGradientsShowInTheNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new double[] {1});
            a.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.zeroGradients();
                gc.backward(a.log().mul(Double.NaN).sum());
            }
            assertTrue(Double.isNaN(Losses.clipGradNorm(List.of(new ParamRef("a", a, 1, 0)), 1.0)));
        }
    }

    @Test
    void jsdMatchesScipy() {
        // core/src/test/python/jsd_golden.py: 3 views x 2 images x 4 classes, view after view
        float[] rows = {2.0f, -1.0f, 0.5f, 0.0f, 0.1f, 0.2f, 0.3f, 0.4f, 1.5f, -0.5f, 0.0f, 0.3f, 2.0f, -2.0f, 0.0f, 1.0f,
            -1.0f, 0.0f, 3.0f, 0.2f, 0.0f, 0.0f, 0.0f, 0.0f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(rows, new Shape(6, 4));
            assertEquals(0.2180608621, Losses.jsd(logits, 3, 1).getFloat(), 1e-6);
            assertEquals(2.6167303449, Losses.jsd(logits, 3, 12).getFloat(), 1e-5);
            NDArray same = m.create(new float[] {1, 2, 3, 1, 2, 3}, new Shape(2, 3));
            assertEquals(0, Losses.jsd(same, 2, 12).getFloat(), 1e-6, "identical views agree");
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Losses.jsd(m.create(new float[12], new Shape(4, 3)), 3, 1));
        }
    }
}
