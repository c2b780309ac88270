package dev.tuneup.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.ImageSet;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import java.nio.file.Path;
import java.util.Map;

/** Bundles with weights that exercise every parameter, for export tests and benchmarks. */
public final class Bundles {
    public static final Normalization CIFAR = new Normalization(new float[] {0.4914f, 0.4822f, 0.4465f},
            new float[] {0.247f, 0.243f, 0.261f});

    private Bundles() {
    }

    /**
     * A bundle of {@code spec} at {@code target}: freshly initialised, norm scales and shifts and biases
     * perturbed, BatchNorm running statistics measured by training-mode passes over {@code images}, the
     * classifier scaled so the probabilities are far from uniform, and temperature 1.5.
     */
    public static Path realistic(ModelSpec spec, ImageSet images, Path target, NDManager m) {
        Block net = Networks.create(spec, m, 11);
        Preprocessing p = Preprocessing.of(spec.height(), spec.widthPx(), CIFAR).withTemperature(1.5);
        NDArray x = m.create(p.input(images, 0, images.size()), new ai.djl.ndarray.types.Shape(images.size(),
                spec.inChannels(), spec.height(), spec.widthPx()));
        m.getEngine().setRandomSeed(5);
        for (Pair<String, Parameter> e : net.getParameters()) {
            String name = e.getKey();
            NDArray a = e.getValue().getArray();
            if (name.endsWith("gamma") || name.endsWith("beta") || name.endsWith("bias")) {
                a.addi(m.randomUniform(-0.3f, 0.3f, a.getShape()));
            }
        }
        for (int i = 0; i < 5; i++) { // running statistics: momentum 0.9, so five passes move them most of the way
            net.forward(new ParameterStore(m, false), new NDList(x), true).close();
        }
        Pair<String, Parameter> last = net.getParameters().get(net.getParameters().size() - 2);
        last.getValue().getArray().muli(8); // the classifier's weight
        ModelBundle.Info info = new ModelBundle.Info(Networks.Spec.of(spec), images.classes(), p, Map.of("test", true));
        return ModelBundle.write(target, net, info);
    }
}
