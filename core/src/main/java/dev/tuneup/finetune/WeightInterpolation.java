package dev.tuneup.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/**
 * Weight-space interpolation between two fine-tunings of one network (WiSE-FT: Wortsman et al.,
 * "Robust fine-tuning of zero-shot models", CVPR 2022): every parameter, BatchNorm statistics
 * included, becomes {@code (1 - alpha) * current + alpha * candidate}. Alpha 0 is the current model
 * and 1 the candidate, bit for bit; in between keeps much of what each knew, the standard cure for a
 * repair that is better on its target and worse elsewhere.
 */
public final class WeightInterpolation {
    private WeightInterpolation() {
    }

    /**
     * Sets {@code target}'s parameters to the mix of {@code current}'s and {@code candidate}'s;
     * all three must be the same network (same parameter names and shapes, in order).
     */
    public static void mix(Block target, Block current, Block candidate, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        PairList<String, Parameter> t = target.getParameters();
        PairList<String, Parameter> a = current.getParameters();
        PairList<String, Parameter> b = candidate.getParameters();
        if (t.size() != a.size() || a.size() != b.size()) {
            throw new IllegalArgumentException("the networks differ: " + t.size() + ", " + a.size() + " and " + b.size()
                    + " parameters");
        }
        for (int i = 0; i < t.size(); i++) {
            Pair<String, Parameter> pt = t.get(i);
            NDArray x = a.get(i).getValue().getArray();
            NDArray y = b.get(i).getValue().getArray();
            if (!pt.getKey().equals(a.get(i).getKey()) || !pt.getKey().equals(b.get(i).getKey())
                    || !x.getShape().equals(y.getShape()) || !x.getShape().equals(pt.getValue().getArray().getShape())) {
                throw new IllegalArgumentException("the networks differ at parameter " + i + ": " + pt.getKey() + ", "
                        + a.get(i).getKey() + " " + x.getShape() + ", " + b.get(i).getKey() + " " + y.getShape());
            }
            NDArray w = pt.getValue().getArray();
            if (alpha == 0 || alpha == 1) {
                w.set(new NDIndex("..."), alpha == 0 ? x : y);
                continue;
            }
            try (NDArray xs = x.mul((float) (1 - alpha)); NDArray ys = y.mul((float) alpha); NDArray sum = xs.add(ys)) {
                w.set(new NDIndex("..."), sum);
            }
        }
    }
}
