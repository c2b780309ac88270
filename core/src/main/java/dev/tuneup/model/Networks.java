package dev.tuneup.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network tuneup can rebuild from a description: one of its own architectures ({@link ModelSpec}),
 * or a TorchScript backbone exported from PyTorch with a new classifier head.
 */
public final class Networks {
    /** A TorchScript backbone's module inside a bundle. */
    public static final String BACKBONE = "backbone.pt";

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
                    + torchscript.method() + ") + " + torchscript.describeHead();
        }
    }

    /**
     * A TorchScript backbone ({@code backbone.pt}, run through {@code method}) giving {@code features}
     * features, then the head: with no {@code hidden} widths, head dropout and a linear classifier; with
     * some, fastai's MLP head ({@link MlpHead}).
     *
     * @param hidden the MLP head's hidden widths (fastai's {@code lin_ftrs}); empty for a linear head
     */
    public record TorchScriptHead(String method, int features, int inChannels, int height, int width, int numClasses,
                                  double headDropout, List<Integer> hidden) {
        public TorchScriptHead {
            hidden = hidden == null ? List.of() : List.copyOf(hidden); // bundles written before MLP heads have none
        }

        /** A linear head. */
        public TorchScriptHead(String method, int features, int inChannels, int height, int width, int numClasses,
                               double headDropout) {
            this(method, features, inChannels, height, width, numClasses, headDropout, List.of());
        }

        /** {@code linear} or {@code mlp [512]}. */
        @JsonIgnore
        public String describeHead() {
            return hidden.isEmpty() ? "linear head" : "mlp head " + hidden;
        }
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
        byte[] pt = files.get(BACKBONE);
        if (pt == null) {
            throw new IllegalStateException("a TorchScript network needs its " + BACKBONE);
        }
        try {
            Path tmp = Files.createTempFile("tuneup-backbone", ".pt");
            try {
                Files.write(tmp, pt);
                TorchScriptHead h = spec.torchscript();
                return withHead(TorchScriptBackbone.load(tmp, h.method(), manager), h, manager, 0);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + BACKBONE + ": " + e.getMessage(), e);
        }
    }

    /**
     * A TorchScript backbone followed by a fresh, seeded head: head dropout and a linear classifier, or
     * with hidden widths an {@link MlpHead}.
     */
    public static SequentialBlock withHead(TorchScriptBackbone backbone, TorchScriptHead h, NDManager manager, long seed) {
        SequentialBlock net = new SequentialBlock().add(backbone);
        if (!h.hidden().isEmpty()) {
            net.add(new MlpHead(h.hidden(), h.numClasses(), h.headDropout()));
        } else {
            if (h.headDropout() > 0) {
                net.add(Dropout.builder().optRate((float) h.headDropout()).build());
            }
            net.add(Linear.builder().setUnits(h.numClasses()).build());
        }
        Engine.getInstance().setRandomSeed((int) seed);
        net.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1),
                Parameter.Type.WEIGHT);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, h.inChannels(), h.height(), h.width()));
        return net;
    }

    /** Files a bundle must carry besides the weights to rebuild {@code model}: a TorchScript backbone's module. */
    public static Map<String, byte[]> extraFiles(Block model, Spec spec) {
        if (spec.model() != null) {
            return Map.of();
        }
        TorchScriptBackbone bb = (TorchScriptBackbone) model.getChildren().get(0).getValue();
        try {
            Path tmp = Files.createTempFile("tuneup-backbone", ".pt");
            try {
                bb.save(tmp);
                return Map.of(BACKBONE, Files.readAllBytes(tmp));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TorchScript backbone: " + e.getMessage(), e);
        }
    }

    /** The names of {@link #extraFiles}. */
    public static Set<String> extraFileNames(Spec spec) {
        return spec.model() != null ? Set.of() : Set.of(BACKBONE);
    }
}
