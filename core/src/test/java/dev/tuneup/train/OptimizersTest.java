package dev.tuneup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Oracle: torch.optim on a tiny linear model in float64 (core/src/test/python/gen_optimizer_golden.py). */
class OptimizersTest {
    private static JsonNode golden;

    @BeforeAll
    static void load() throws IOException {
        System.setProperty("ai.djl.offline", "true");
        try (InputStream in = OptimizersTest.class.getResourceAsStream("/golden/optimizers_torch.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    private static Optimizer make(String name, JsonNode args) {
        double momentum = args.path("momentum").asDouble(0);
        return switch (name) {
            case "sgd" -> Optimizers.sgd(momentum, args.path("nesterov").asBoolean(false), false);
            case "adam" -> Optimizers.adam(0.9, 0.999, 1e-8, false);
            case "adamw" -> Optimizers.adam(0.9, 0.999, 1e-8, true);
            case "rmsprop" -> Optimizers.rmsprop(0.99, 1e-8, momentum);
            case "lion" -> Optimizers.lion(0.9, 0.99);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Runs {@code steps} steps of {@code opt} on the golden model; returns [w, b] after each step. */
    private static List<double[][]> run(Optimizer opt, double wd, int steps, NDManager m, NDArray w, NDArray b) {
        NDArray x = m.create(doubles(golden.get("x")), new Shape(4, 3));
        NDArray y = m.create(doubles(golden.get("y")), new Shape(4, 2));
        List<ParamRef> params = List.of(new ParamRef("w", w, 1, wd), new ParamRef("b", b, 1, wd));
        List<double[][]> out = new java.util.ArrayList<>();
        for (int s = 0; s < steps; s++) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.zeroGradients();
                NDArray loss = x.matMul(w.transpose()).add(b).sub(y).square().mean();
                gc.backward(loss);
            }
            opt.step(params, golden.get("lr").asDouble());
            out.add(new double[][] {w.toDoubleArray(), b.toDoubleArray()});
        }
        return out;
    }

    private static NDArray param(NDManager m, JsonNode init, Shape shape) {
        NDArray a = m.create(doubles(init), shape);
        a.setRequiresGradient(true);
        return a;
    }

    @Test
    void firstStepsMatchTorch() {
        for (JsonNode c : golden.get("cases")) {
            String name = c.get("optimizer").asText();
            double wd = c.get("args").path("weight_decay").asDouble(0);
            try (NDManager m = NDManager.newBaseManager(); Optimizer opt = make(name, c.get("args"))) {
                NDArray w = param(m, golden.get("w0"), new Shape(2, 3));
                NDArray b = param(m, golden.get("b0"), new Shape(2));
                List<double[][]> got = run(opt, wd, 3, m, w, b);
                for (int s = 0; s < 3; s++) {
                    JsonNode want = c.get("steps").get(s);
                    assertArrayEquals(doubles(want.get("w")), got.get(s)[0], 1e-9, name + " " + c.get("args") + " step " + s);
                    assertArrayEquals(doubles(want.get("b")), got.get(s)[1], 1e-9, name + " " + c.get("args") + " step " + s);
                }
            }
        }
    }

    @Test
    void stateRestoredByNameContinuesExactly() {
        try (NDManager m = NDManager.newBaseManager(); Optimizer a = Optimizers.adam(0.9, 0.999, 1e-8, true);
             Optimizer b = Optimizers.adam(0.9, 0.999, 1e-8, true)) {
            NDArray w1 = param(m, golden.get("w0"), new Shape(2, 3));
            NDArray b1 = param(m, golden.get("b0"), new Shape(2));
            run(a, 0.1, 2, m, w1, b1);
            NDList saved = a.exportState();
            assertEquals(5, saved.size(), "two moments for two parameters, and the step count");
            NDArray w2 = w1.duplicate();
            NDArray b2 = b1.duplicate();
            w2.setRequiresGradient(true);
            b2.setRequiresGradient(true);
            b.importState(NDList.decode(m, saved.encode()));
            assertEquals(2, b.steps());
            List<double[][]> cont = run(a, 0.1, 1, m, w1, b1);
            List<double[][]> resumed = run(b, 0.1, 1, m, w2, b2);
            assertArrayEquals(cont.get(0)[0], resumed.get(0)[0], 0.0);
            assertArrayEquals(cont.get(0)[1], resumed.get(0)[1], 0.0);
        }
    }

    @Test
    void badStateIsRefused() {
        try (NDManager m = NDManager.newBaseManager(); Optimizer sgd = Optimizers.sgd(0.9, false, false)) {
            NDArray stray = m.zeros(new Shape(2));
            stray.setName("w#3");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> sgd.importState(new NDList(stray)))
                    .getMessage().contains("slot 3"));
            assertThrows(IllegalArgumentException.class, () -> sgd.importState(new NDList()));
        }
    }

    @Test
    void stepsLeaveNoArraysBehind() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (Optimizer opt : List.of(Optimizers.sgd(0.9, true, false), Optimizers.adam(0.9, 0.999, 1e-8, false),
                    Optimizers.rmsprop(0.99, 1e-8, 0.9), Optimizers.lion(0.9, 0.99))) {
                try (opt) {
                    NDArray w = param(m, golden.get("w0"), new Shape(2, 3));
                    NDArray b = param(m, golden.get("b0"), new Shape(2));
                    run(opt, 0.01, 1, m, w, b); // gradients now set
                    List<ParamRef> params = List.of(new ParamRef("w", w, 1, 0.01), new ParamRef("b", b, 1, 0.01));
                    int before = m.getManagedArrays().size();
                    for (int i = 0; i < 20; i++) {
                        opt.step(params, 0.01);
                    }
                    assertEquals(before, m.getManagedArrays().size(), opt.getClass() + ": arrays pile up");
                }
            }
        }
    }
}
