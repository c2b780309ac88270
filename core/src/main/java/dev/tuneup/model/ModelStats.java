package dev.tuneup.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.Locale;

/**
 * Size and cost of an initialised block: parameters (trainable count) and forward FLOPs for one
 * image, counting a multiply-add as 2 FLOPs in convolutions and dense layers (normalisation,
 * activation and pooling, a few percent, are left out, as most papers do). A TorchScript backbone's
 * layers cannot be seen from Java, so its FLOPs are not counted ({@code uncounted}) and the text says so.
 */
public record ModelStats(long parameters, long flops, boolean uncounted) {
    public static ModelStats of(Block block, Shape input) {
        long params = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().isInitialized() && p.getValue().requiresGradient()) {
                params += p.getValue().getArray().size();
            }
        }
        return new ModelStats(params, flops(block, input), TorchScriptBackbone.within(block));
    }

    /** FLOPs of {@code block} on an input of {@code shape} (batch dimension included, counted for one). */
    static long flops(Block block, Shape shape) {
        if (block instanceof SequentialBlock seq) {
            long total = 0;
            Shape s = shape;
            for (Pair<String, Block> child : seq.getChildren()) {
                total += flops(child.getValue(), s);
                s = child.getValue().getOutputShapes(new Shape[] {s})[0];
            }
            return total;
        }
        if (block instanceof ParallelBlock par) {
            long total = 0;
            for (Pair<String, Block> child : par.getChildren()) {
                total += flops(child.getValue(), shape);
            }
            return total;
        }
        if (block instanceof Conv2d conv) {
            Shape out = conv.getOutputShapes(new Shape[] {shape})[0];
            Shape k = conv.getParameters().get("weight").getArray().getShape(); // (out, in, kh, kw)
            return 2L * out.get(1) * out.get(2) * out.get(3) * k.get(1) * k.get(2) * k.get(3);
        }
        if (block instanceof Linear linear) {
            Shape w = linear.getParameters().get("weight").getArray().getShape(); // (out, in)
            return 2L * w.get(0) * w.get(1);
        }
        return 0;
    }

    @Override
    public String toString() {
        return uncounted
                ? String.format(Locale.ROOT, "%,d parameters (FLOPs of the TorchScript backbone not counted)", parameters)
                : String.format(Locale.ROOT, "%,d parameters, %.1f MFLOPs per image", parameters, flops / 1e6);
    }
}
