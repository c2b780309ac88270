package dev.tuneup.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/** Builds the block a {@link ModelSpec} describes. */
public final class Models {
    /** The pooling window and stride of {@code cnn} stages (max or avg). */
    public static final int POOL = 2;

    private Models() {
    }

    public static Block build(ModelSpec spec) {
        return switch (spec.arch()) {
            case "cnn" -> cnn(spec);
            case "resnet" -> ResNets.cifar(spec);
            case "resnet18" -> ResNets.resnet18(spec);
            case "wrn" -> ResNets.wide(spec);
            default -> throw new IllegalArgumentException("unknown arch " + spec.arch());
        };
    }

    /** A conv with "same" padding; bias only when no normalisation follows. */
    static Conv2d conv(int filters, int kernel, int stride, boolean bias) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).optBias(bias).build();
    }

    /**
     * The small CNN: per conv width a stage of conv, norm, activation, then pooling and spatial
     * dropout; then flatten, dense layers (activation, dropout) and the classifier.
     */
    static Block cnn(ModelSpec s) {
        SequentialBlock net = new SequentialBlock();
        for (int w : s.convWidths()) {
            int filters = s.scaled(w);
            net.add(conv(filters, s.kernel(), 1, s.norm() == Norms.Kind.NONE))
                    .add(Norms.block(s.norm(), filters))
                    .add(Activations.block(s.activation()));
            if (s.pool().equals("max")) {
                net.add(Pool.maxPool2dBlock(new Shape(POOL, POOL), new Shape(POOL, POOL)));
            } else if (s.pool().equals("avg")) {
                net.add(Pool.avgPool2dBlock(new Shape(POOL, POOL), new Shape(POOL, POOL)));
            }
            if (s.spatialDropout() > 0) {
                net.add(new SpatialDropout(s.spatialDropout()));
            }
        }
        net.add(Blocks.batchFlattenBlock());
        for (int d : s.denseWidths()) {
            net.add(Linear.builder().setUnits(s.scaled(d)).build()).add(Activations.block(s.activation()));
            if (s.headDropout() > 0) {
                net.add(Dropout.builder().optRate((float) s.headDropout()).build());
            }
        }
        return net.add(Linear.builder().setUnits(s.numClasses()).build());
    }

    /** Global average pooling, head dropout, classifier: the head every residual net ends with. */
    static SequentialBlock head(ModelSpec s) {
        SequentialBlock head = new SequentialBlock().add(Pool.globalAvgPool2dBlock());
        if (s.headDropout() > 0) {
            head.add(Dropout.builder().optRate((float) s.headDropout()).build());
        }
        return head.add(Linear.builder().setUnits(s.numClasses()).build());
    }
}
