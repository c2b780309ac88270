package dev.tuneup.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.tuneup.train.Losses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bf16 mixed precision: casts that autograd follows back to float32 weights, and which parameters are cast. */
class Bf16Test {

    @Test
    void cpuFlagsDecideAuto() {
        assertFalse(Bf16.supports("fpu sse2 avx2 fma avx512f avx512bw"), "AVX-512 without BF16 is not enough");
        assertTrue(Bf16.supports("fpu avx2 avx512f avx512_bf16 avx512_vnni"));
        assertTrue(Bf16.supports(" fpu amx_tile amx_bf16 amx_int8\n"));
        assertFalse(Bf16.supports(""));
        assertTrue(Bf16.resolve("bf16"));
        assertFalse(Bf16.resolve("fp32"));
        assertEquals(Bf16.cpuSupports(), Bf16.resolve("auto"));
    }

    @Test
    void castsRoundTripWithinBf16PrecisionAndKeepShape() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 3, 4, 5));
            NDArray b = Bf16.toBf16(x);
            assertTrue(Bf16.is(b));
            assertEquals(x.getShape(), b.getShape());
            assertSame(b, Bf16.toBf16(b), "already bf16");
            NDArray back = Bf16.toFloat32(b);
            assertEquals(DataType.FLOAT32, back.getDataType());
            // bf16 keeps 8 significant bits: relative error at most 2^-8
            float[] a = x.toFloatArray();
            float[] r = back.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], r[i], Math.abs(a[i]) / 256 + 1e-30, "element " + i);
            }
            assertSame(x, Bf16.toFloat32(x), "already float32");
        }
    }

    @Test
    void gradientsReachTheFloat32WeightsAndMatchFloat32Training() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            SequentialBlock net = new SequentialBlock()
                    .add(Conv2d.builder().setFilters(8).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                            .optBias(false).build()) // a bias before BatchNorm has a zero gradient in theory: only noise to compare
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock())
                    .add(new SpatialDropout(0.0))
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(3).build());
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 6, 6));
            List<NDArray> weights = new ArrayList<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                    weights.add(p.getValue().getArray());
                }
            }
            NDArray x = m.randomNormal(new Shape(16, 3, 6, 6));
            NDArray y = m.randomInteger(0, 3, new Shape(16), DataType.INT64);

            float[][] g32 = grads(net, weights, x, y, false, m);
            float[][] g16 = grads(net, weights, x, y, true, m);
            for (NDArray w : weights) {
                assertEquals(DataType.FLOAT32, w.getDataType(), "the weights stay float32");
                assertEquals(DataType.FLOAT32, w.getGradient().getDataType(), "and so do their gradients");
            }
            for (int k = 0; k < g32.length; k++) {
                double num = 0;
                double den = 0;
                for (int i = 0; i < g32[k].length; i++) {
                    num += (g32[k][i] - g16[k][i]) * (g32[k][i] - g16[k][i]);
                    den += g32[k][i] * g32[k][i];
                }
                assertTrue(den > 0, "parameter " + k + " got a gradient");
                assertTrue(Math.sqrt(num / den) < 0.05, "parameter " + k + ": bf16 gradient off by "
                        + Math.sqrt(num / den) + " (relative L2)");
            }
        }
    }

    @Test
    void onlyConvolutionAndDenseParametersAreCast() {
        try (NDManager m = NDManager.newBaseManager(); NDManager scope = NDManager.newBaseManager()) {
            BatchNorm bn = BatchNorm.builder().build();
            Linear fc = Linear.builder().setUnits(2).build();
            bn.initialize(m, DataType.FLOAT32, new Shape(1, 4, 2, 2));
            fc.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            ParameterStore store = Bf16.store(scope);
            for (Pair<String, Parameter> p : bn.getParameters()) {
                NDArray a = p.getValue().getArray();
                assertSame(a, store.getValue(p.getValue(), a.getDevice(), true),
                        p.getKey() + ": BatchNorm's float32 array itself (running statistics update in place)");
            }
            for (Pair<String, Parameter> p : fc.getParameters()) {
                NDArray a = p.getValue().getArray();
                NDArray c = store.getValue(p.getValue(), a.getDevice(), true);
                assertNotEquals(a, c);
                assertTrue(Bf16.is(c), p.getKey() + " is handed out in bf16");
                assertSame(scope, c.getManager(), "owned by the step's scope, not the parameters' manager");
            }
        }
    }

    private static float[][] grads(SequentialBlock net, List<NDArray> weights, NDArray x, NDArray y, boolean bf16,
                                   NDManager m) {
        try (NDManager scope = NDManager.newBaseManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = bf16
                        ? Bf16.toFloat32(net.forward(Bf16.store(scope), new NDList(Bf16.toBf16(x)), true).singletonOrThrow())
                        : net.forward(new ParameterStore(scope, false), new NDList(x), true).singletonOrThrow();
                assertEquals(DataType.FLOAT32, out.getDataType());
                gc.backward(Losses.crossEntropy(out, y, 0));
            }
            float[][] g = new float[weights.size()][];
            for (int k = 0; k < g.length; k++) {
                try (NDArray gr = weights.get(k).getGradient()) {
                    g[k] = gr.toFloatArray();
                    gr.set(new ai.djl.ndarray.index.NDIndex("..."), 0); // backward accumulates: start the next from zero
                }
            }
            return g;
        }
    }
}
