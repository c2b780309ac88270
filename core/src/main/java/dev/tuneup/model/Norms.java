package dev.tuneup.model;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.norm.BatchNorm;

/** Normalisation after a convolution: batch, group (32 groups or fewer), layer (one group), or none. */
public final class Norms {
    /** Names as written in configs. */
    public enum Kind {
        BATCH, GROUP, LAYER, NONE
    }

    private Norms() {
    }

    public static Block block(Kind kind, int channels) {
        return switch (kind) {
            case BATCH -> BatchNorm.builder().build();
            case GROUP -> new GroupNorm(groupsFor(channels), channels);
            case LAYER -> new GroupNorm(1, channels);
            case NONE -> Blocks.identityBlock();
        };
    }

    /** The largest divisor of {@code channels} that is at most 32 (Wu and He, 2018, use 32). */
    static int groupsFor(int channels) {
        for (int g = Math.min(32, channels); g > 1; g--) {
            if (channels % g == 0) {
                return g;
            }
        }
        return 1;
    }
}
