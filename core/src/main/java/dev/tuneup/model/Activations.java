package dev.tuneup.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;

/** The activation functions a model may use. */
public final class Activations {
    /** Names as written in configs: relu, leakyrelu, elu, selu, gelu, silu, mish. */
    public enum Kind {
        RELU, LEAKYRELU, ELU, SELU, GELU, SILU, MISH
    }

    /** The negative slope of {@code leakyrelu}. */
    public static final float LEAKY_SLOPE = 0.01f;
    /** The {@code alpha} of {@code elu}. */
    public static final float ELU_ALPHA = 1f;

    private Activations() {
    }

    public static Block block(Kind kind) {
        return switch (kind) {
            case RELU -> Activation.reluBlock();
            case LEAKYRELU -> Activation.leakyReluBlock(LEAKY_SLOPE);
            case ELU -> Activation.eluBlock(ELU_ALPHA);
            case SELU -> Activation.seluBlock();
            case GELU -> Activation.geluBlock();
            case SILU -> Activation.swishBlock(1f);
            case MISH -> Activation.mishBlock();
        };
    }
}
