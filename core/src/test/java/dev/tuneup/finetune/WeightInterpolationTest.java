package dev.tuneup.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WiSE-FT mixing: the ends are the two models bit for bit, the middle is the plain average. */
class WeightInterpolationTest {
    private static final ModelSpec SPEC = new ModelSpec("cnn", 0, 1, List.of(4), 3, "max", List.of(8),
            Activations.Kind.RELU, Norms.Kind.BATCH, 0, 0, 3, 8, 8, 3);

    private static float[] flat(Block b, int i) {
        return b.getParameters().get(i).getValue().getArray().toFloatArray();
    }

    @Test
    void alphaZeroAndOneAreTheModelsAndHalfIsTheMean() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = Networks.create(SPEC, m, 1);
            Block b = Networks.create(SPEC, m, 2);
            Block t = Networks.create(SPEC, m, 3);
            int n = a.getParameters().size();
            for (double alpha : new double[] {0, 1}) {
                WeightInterpolation.mix(t, a, b, alpha);
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(flat(alpha == 0 ? a : b, i), flat(t, i), "alpha " + alpha + ", parameter " + i);
                }
            }
            WeightInterpolation.mix(t, a, b, 0.25);
            for (int i = 0; i < n; i++) {
                float[] x = flat(a, i);
                float[] y = flat(b, i);
                float[] z = flat(t, i);
                for (int j = 0; j < x.length; j++) {
                    assertEquals(0.75f * x[j] + 0.25f * y[j], z[j], 1e-6f, "parameter " + i + "[" + j + "]");
                }
            }
        }
    }

    @Test
    void differentNetworksAndBadAlphasAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = Networks.create(SPEC, m, 1);
            Block wide = Networks.create(new ModelSpec("cnn", 0, 1, List.of(6), 3, "max", List.of(8),
                    Activations.Kind.RELU, Norms.Kind.BATCH, 0, 0, 3, 8, 8, 3), m, 1);
            assertThrows(IllegalArgumentException.class, () -> WeightInterpolation.mix(a, a, wide, 0.5));
            assertThrows(IllegalArgumentException.class, () -> WeightInterpolation.mix(a, a, a, 1.5));
            assertThrows(IllegalArgumentException.class, () -> WeightInterpolation.mix(a, a, a, Double.NaN));
        }
    }
}
