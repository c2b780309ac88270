package dev.tuneup.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu and He, 2018) for NCHW features: channels split into {@code groups}, each
 * normalised over its channels and pixels, then a learned per-channel scale and shift. One group is
 * layer normalisation over (C, H, W). DJL has no GroupNorm block; this one is built from NDArray ops,
 * so autograd differentiates it.
 */
public final class GroupNorm extends AbstractBlock {
    /** Added to the variance before the square root. */
    public static final float EPS = 1e-5f;
    private final int groups;
    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;

    public GroupNorm(int groups, int channels) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).optInitializer(Initializer.ONES).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).optInitializer(Initializer.ZEROS).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        NDArray g = x.reshape(s.get(0), groups, -1);
        NDArray mean = g.mean(new int[] {2}, true);
        NDArray var = g.sub(mean).square().mean(new int[] {2}, true);
        NDArray norm = g.sub(mean).div(var.add(EPS).sqrt()).reshape(s);
        NDArray w = store.getValue(gamma, x.getDevice(), training).reshape(1, channels, 1, 1);
        NDArray b = store.getValue(beta, x.getDevice(), training).reshape(1, channels, 1, 1);
        return new NDList(norm.mul(w).add(b));
    }

    public int groups() {
        return groups;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "GroupNorm(" + groups + ", " + channels + ")";
    }

}
