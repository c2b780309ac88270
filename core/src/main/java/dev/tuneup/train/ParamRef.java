package dev.tuneup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One trainable parameter as an optimizer sees it: its stable name (the block's parameter path,
 * used to key optimizer state), its array, and its group's LR multiplier and weight decay.
 */
public record ParamRef(String name, NDArray weight, double lrScale, double weightDecay) {
    /**
     * The weight's gradient, owned by {@code scope}. Each call makes a fresh handle, and an op's
     * result lands in its first operand's manager: attaching the handle to a short-lived scope keeps
     * both the handle and every temporary made from it out of the parameters' manager.
     */
    public NDArray gradient(NDManager scope) {
        NDArray g = weight.getGradient();
        g.attach(scope);
        return g;
    }
}
