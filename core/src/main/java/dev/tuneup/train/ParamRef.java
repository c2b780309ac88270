package dev.tuneup.train;

import ai.djl.ndarray.NDArray;

/**
 * One trainable parameter as an optimizer sees it: its stable name (the block's parameter path,
 * used to key optimizer state), its array, and its group's LR multiplier and weight decay.
 */
public record ParamRef(String name, NDArray weight, double lrScale, double weightDecay) {
}
