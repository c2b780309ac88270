package dev.tuneup.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Splits a block's trainable parameters into optimizer groups. By default 1-D parameters (biases,
 * normalisation scales and shifts) get no weight decay, as is standard practice since
 * "Bag of Tricks" (He et al., 2019); the group sizes are reported so a run can log them.
 */
public final class ParamGroups {
    /** The parameters, and how many scalars are decayed and not. */
    public record Groups(List<ParamRef> params, long decayed, long notDecayed) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%,d parameters with weight decay, %,d without (1-D)",
                    decayed, notDecayed);
        }
    }

    private ParamGroups() {
    }

    /**
     * @param frozen parameters (by name) that are not trained at all; they get no gradient
     */
    public static Groups of(Block block, double weightDecay, boolean decayOneDim, Predicate<String> frozen) {
        return of(block, weightDecay, decayOneDim, frozen, name -> 1.0);
    }

    /**
     * @param lrScale each parameter's LR multiplier, by name (discriminative learning rates)
     */
    public static Groups of(Block block, double weightDecay, boolean decayOneDim, Predicate<String> frozen,
                            ToDoubleFunction<String> lrScale) {
        List<ParamRef> out = new ArrayList<>();
        long decayed = 0;
        long notDecayed = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.requiresGradient() || frozen.test(p.getKey())) {
                param.getArray().setRequiresGradient(false);
                continue;
            }
            param.getArray().setRequiresGradient(true);
            boolean oneDim = param.getArray().getShape().dimension() <= 1;
            double wd = oneDim && !decayOneDim ? 0 : weightDecay;
            long size = param.getArray().size();
            if (wd > 0) {
                decayed += size;
            } else {
                notDecayed += size;
            }
            out.add(new ParamRef(p.getKey(), param.getArray(), lrScale.applyAsDouble(p.getKey()), wd));
        }
        return new Groups(out, decayed, notDecayed);
    }
}
