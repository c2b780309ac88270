package dev.tuneup.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;
import java.util.Set;

/**
 * A network tuneup can rebuild from a description: one of its own architectures ({@link ModelSpec}),
 * or a TorchScript backbone exported from PyTorch with a new classifier head.
 */
public final class Networks {
    private Networks() {
    }

    /** Exactly one of {@code model} and {@code torchscript} is set. */
    public record Spec(ModelSpec model, TorchScriptHead torchscript) {
        public Spec {
            if ((model == null) == (torchscript == null)) {
                throw new IllegalArgumentException("a network is either a tuneup model or a TorchScript backbone");
            }
        }

        public static Spec of(ModelSpec m) {
            return new Spec(m, null);
        }

        @JsonIgnore
        public int numClasses() {
            return model != null ? model.numClasses() : torchscript.numClasses();
        }

        /** One image's input shape, {@code (1, C, H, W)}. */
        @JsonIgnore
        public Shape inputShape() {
            return model != null ? new Shape(1, model.inChannels(), model.height(), model.widthPx())
                    : new Shape(1, torchscript.inChannels(), torchscript.height(), torchscript.width());
        }

        @JsonIgnore
        public String describe() {
            return model != null ? model.arch() : "torchscript backbone (" + torchscript.features() + " features, "
                    + torchscript.method() + ") + linear head";
        }
    }

    /**
     * A TorchScript backbone ({@code backbone.pt}, run through {@code method}) giving {@code features}
     * features, then head dropout and a linear classifier.
     */
    public record TorchScriptHead(String method, int features, int inChannels, int height, int width, int numClasses,
                                  double headDropout) {
    }

    /** A fresh network with PyTorch's default initialisation, seeded. */
    public static Block create(ModelSpec spec, NDManager manager, long seed) {
        Block model = Models.build(spec);
        Engine.getInstance().setRandomSeed((int) seed);
        // PyTorch's default (kaiming_uniform with a = sqrt(5)): uniform in +-1/sqrt(fan_in). DJL's default Xavier
        // is about 3x wider for wide dense layers and made the first steps unstable.
        model.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1),
                Parameter.Type.WEIGHT);
        model.initialize(manager, DataType.FLOAT32, Spec.of(spec).inputShape());
        return model;
    }

    /** The network {@code spec} describes, ready to take its weights; {@code files} holds a bundle's extra files. */
    public static Block build(Spec spec, NDManager manager, Map<String, byte[]> files) {
        if (spec.model() != null) {
            return create(spec.model(), manager, 0);
        }
        throw new UnsupportedOperationException("TorchScript networks are not built yet");
    }

    /** Files a bundle must carry besides the weights to rebuild {@code model}. */
    public static Map<String, byte[]> extraFiles(Block model, Spec spec) {
        return Map.of();
    }

    /** The names of {@link #extraFiles}. */
    public static Set<String> extraFileNames(Spec spec) {
        return Set.of();
    }
}
