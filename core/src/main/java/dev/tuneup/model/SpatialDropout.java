package dev.tuneup.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Channel dropout for NCHW features (Tompson et al., 2015; PyTorch's Dropout2d): while training,
 * whole channels are zeroed with probability {@code rate} and the rest scaled by 1/(1-rate);
 * identity at inference.
 */
public final class SpatialDropout extends AbstractBlock {
    private final float rate;

    public SpatialDropout(double rate) {
        this.rate = (float) rate;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (!training || rate == 0) {
            return inputs;
        }
        Shape s = x.getShape();
        boolean bf16 = Bf16.is(x); // DJL cannot create bf16 arrays: draw in float32 and cast
        DataType type = bf16 ? DataType.FLOAT32 : x.getDataType();
        NDArray keep = x.getManager().randomUniform(0f, 1f, new Shape(s.get(0), s.get(1), 1, 1), type,
                x.getDevice()).gte(rate).toType(type, false).div(1 - rate);
        return new NDList(x.mul(bf16 ? Bf16.toBf16(keep) : keep));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "SpatialDropout(" + rate + ")";
    }
}
