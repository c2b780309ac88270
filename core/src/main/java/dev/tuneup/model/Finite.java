package dev.tuneup.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Whether a network's weights are all finite. A NaN or infinite weight makes every prediction
 * meaningless, so no checkpoint, best model, bundle or served model may hold one.
 */
public final class Finite {
    private Finite() {
    }

    /** The first parameter of {@code model} holding a NaN or infinity, with how many it holds, or null when all are finite. */
    public static String firstNonFinite(Block model) {
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (!p.getValue().isInitialized()) {
                continue;
            }
            NDArray w = p.getValue().getArray();
            try (NDArray nan = w.isNaN(); NDArray inf = w.isInfinite(); NDArray bad = nan.logicalOr(inf);
                 NDArray count = bad.countNonzero(); NDArray n64 = count.toType(DataType.INT64, false)) {
                long n = n64.getLong();
                if (n > 0) {
                    return p.getKey() + " (" + n + " of " + w.size() + " values are NaN or infinite)";
                }
            }
        }
        return null;
    }
}
