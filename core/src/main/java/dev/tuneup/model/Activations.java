package dev.tuneup.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;

/** The activation functions a model may use. */
public final class Activations {
    /** Names as written in configs: relu, leakyrelu, elu, selu, gelu, silu, mish. */
    public enum Kind {
        RELU, LEAKYRELU, ELU, SELU, GELU, SILU, MISH
    }

    private Activations() {
    }

    public static Block block(Kind kind) {
        return switch (kind) {
            case RELU -> Activation.reluBlock();
            case LEAKYRELU -> Activation.leakyReluBlock(0.01f);
            case ELU -> Activation.eluBlock(1f);
            case SELU -> Activation.seluBlock();
            case GELU -> Activation.geluBlock();
            case SILU -> Activation.swishBlock(1f);
            case MISH -> Activation.mishBlock();
        };
    }
}
