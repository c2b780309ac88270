package dev.tuneup.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import java.util.Arrays;

/**
 * Residual networks for small images, with basic (two 3x3 conv) blocks and 1x1-conv projection
 * shortcuts where the shape changes: ResNet-6n+2 (He et al., 2016, section 4.2), CIFAR-style
 * ResNet-18, and pre-activation WideResNet-d-k (Zagoruyko and Komodakis, 2016).
 */
final class ResNets {
    private ResNets() {
    }

    /** conv-norm-act-[dropout]-conv-norm, plus shortcut, then activation. */
    static Block basic(ModelSpec s, int filters, int stride, boolean project) {
        boolean bias = s.norm() == Norms.Kind.NONE;
        SequentialBlock main = new SequentialBlock()
                .add(Models.conv(filters, 3, stride, bias)).add(Norms.block(s.norm(), filters))
                .add(Activations.block(s.activation()));
        if (s.spatialDropout() > 0) {
            main.add(new SpatialDropout(s.spatialDropout()));
        }
        main.add(Models.conv(filters, 3, 1, bias)).add(Norms.block(s.norm(), filters));
        Block shortcut = project
                ? new SequentialBlock().add(Models.conv(filters, 1, stride, bias)).add(Norms.block(s.norm(), filters))
                : Blocks.identityBlock();
        return new SequentialBlock().add(new ParallelBlock(ResNets::sum, Arrays.asList(main, shortcut)))
                .add(Activations.block(s.activation()));
    }

    private static NDList sum(java.util.List<NDList> branches) {
        return new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()));
    }

    private static SequentialBlock stem(ModelSpec s, int filters) {
        return new SequentialBlock().add(Models.conv(filters, 3, 1, s.norm() == Norms.Kind.NONE))
                .add(Norms.block(s.norm(), filters)).add(Activations.block(s.activation()));
    }

    /** ResNet-(6n+2): a 3x3 stem, three stages of n blocks at 16, 32, 64 (x width) channels. */
    static Block cifar(ModelSpec s) {
        int n = (s.depth() - 2) / 6;
        int[] widths = {s.scaled(16), s.scaled(32), s.scaled(64)};
        SequentialBlock net = stem(s, widths[0]);
        int in = widths[0];
        for (int stage = 0; stage < 3; stage++) {
            for (int b = 0; b < n; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                net.add(basic(s, widths[stage], stride, stride != 1 || in != widths[stage]));
                in = widths[stage];
            }
        }
        return net.add(Models.head(s));
    }

    /** CIFAR-style ResNet-18: 3x3 stem (no max pool), stages [2, 2, 2, 2] at 64..512 (x width) channels. */
    static Block resnet18(ModelSpec s) {
        int[] widths = {s.scaled(64), s.scaled(128), s.scaled(256), s.scaled(512)};
        SequentialBlock net = stem(s, widths[0]);
        int in = widths[0];
        for (int stage = 0; stage < 4; stage++) {
            for (int b = 0; b < 2; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                net.add(basic(s, widths[stage], stride, stride != 1 || in != widths[stage]));
                in = widths[stage];
            }
        }
        return net.add(Models.head(s));
    }

    /**
     * Pre-activation wide block: norm-act-conv-norm-act-[dropout]-conv plus shortcut. As in the
     * authors' code, an identity shortcut takes the raw input and a projection the pre-activated one.
     */
    static Block wideBlock(ModelSpec s, int in, int filters, int stride, boolean project) {
        boolean bias = s.norm() == Norms.Kind.NONE;
        SequentialBlock pre = new SequentialBlock().add(Norms.block(s.norm(), in)).add(Activations.block(s.activation()));
        SequentialBlock main = new SequentialBlock().add(Models.conv(filters, 3, stride, bias))
                .add(Norms.block(s.norm(), filters)).add(Activations.block(s.activation()));
        if (s.spatialDropout() > 0) {
            main.add(new SpatialDropout(s.spatialDropout()));
        }
        main.add(Models.conv(filters, 3, 1, bias));
        if (project) {
            return new SequentialBlock().add(pre)
                    .add(new ParallelBlock(ResNets::sum, Arrays.asList(main, Models.conv(filters, 1, stride, false))));
        }
        return new ParallelBlock(ResNets::sum, Arrays.asList(new SequentialBlock().add(pre).add(main),
                Blocks.identityBlock()));
    }

    /** WRN-d-k: stem of 16, three stages of (d-4)/6 wide blocks at 16k, 32k, 64k, then norm-act and head. */
    static Block wide(ModelSpec s) {
        int n = (s.depth() - 4) / 6;
        int k = (int) Math.round(s.width());
        int[] widths = {16 * k, 32 * k, 64 * k};
        SequentialBlock net = new SequentialBlock().add(Models.conv(16, 3, 1, false));
        int in = 16;
        for (int stage = 0; stage < 3; stage++) {
            for (int b = 0; b < n; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                net.add(wideBlock(s, in, widths[stage], stride, stride != 1 || in != widths[stage]));
                in = widths[stage];
            }
        }
        return net.add(Norms.block(s.norm(), in)).add(Activations.block(s.activation())).add(Models.head(s));
    }
}
