package dev.tuneup.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import dev.tuneup.model.Activations;
import dev.tuneup.model.GroupNorm;
import dev.tuneup.model.Models;
import dev.tuneup.model.SpatialDropout;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the block tree tuneup's architectures are built of (dev.tuneup.model.Models and ResNets) and
 * adds the inference graph of each block: sequences in order, parallel blocks as the sum of their
 * branches (tuneup's only join, the residual add), dropout left out, and DJL's named lambda blocks
 * (activations, pools, flatten, identity) by name. A block it does not know is an error naming it.
 */
final class BlockMapper {
    /** DJL's BatchNorm default; tuneup never changes it. */
    static final float BATCH_NORM_EPS = 1e-5f;
    private final OnnxGraph g;

    BlockMapper(OnnxGraph g) {
        this.g = g;
    }

    /** Adds {@code b} applied to the tensor named {@code x}; returns its output's name. */
    String map(Block b, String x) {
        if (b instanceof SequentialBlock) {
            for (Block child : b.getChildren().values()) {
                x = map(child, x);
            }
            return x;
        }
        if (b instanceof ParallelBlock) {
            List<String> branches = new ArrayList<>();
            for (Block child : b.getChildren().values()) {
                branches.add(map(child, x));
            }
            String sum = branches.get(0);
            for (int i = 1; i < branches.size(); i++) {
                sum = g.op("Add", List.of(sum, branches.get(i)));
            }
            return sum;
        }
        if (b instanceof Dropout || b instanceof SpatialDropout) {
            return x; // identity at inference
        }
        if (b instanceof Conv2d c) {
            return conv(c, x);
        }
        if (b instanceof BatchNorm) {
            return g.op("BatchNormalization", List.of(x, param(b, "gamma"), param(b, "beta"), param(b, "runningMean"),
                    param(b, "runningVar")), Onnx.attr("epsilon", BATCH_NORM_EPS));
        }
        if (b instanceof GroupNorm n) {
            return groupNorm(n, x);
        }
        if (b instanceof Linear) {
            return g.op("Gemm", List.of(x, param(b, "weight"), param(b, "bias")), Onnx.attr("transB", 1L));
        }
        if (b instanceof LambdaBlock l) {
            return lambda(l.getName(), x);
        }
        throw new IllegalArgumentException("no ONNX mapping for block " + b.getClass().getSimpleName());
    }

    private String conv(Conv2d c, String x) {
        List<String> in = new ArrayList<>(List.of(x, param(c, "weight")));
        if (c.isIncludeBias()) {
            in.add(param(c, "bias"));
        }
        long[] k = c.getKernelShape().getShape();
        long[] p = c.getPadding().getShape();
        return g.op("Conv", in, Onnx.attr("kernel_shape", k), Onnx.attr("strides", c.getStride().getShape()),
                Onnx.attr("pads", new long[] {p[0], p[1], p[0], p[1]}), Onnx.attr("dilations", c.getDilation().getShape()),
                Onnx.attr("group", (long) c.getGroups()));
    }

    /** Reshape to (N, groups, rest), instance-normalise each group, reshape back, then scale and shift per channel. */
    private String groupNorm(GroupNorm n, String x) {
        int groups = n.groups();
        float[] ones = new float[groups];
        java.util.Arrays.fill(ones, 1f);
        String grouped = g.op("Reshape", List.of(x, g.constant("group_shape", new long[] {0, groups, -1}, 3)));
        String normed = g.op("InstanceNormalization", List.of(grouped, g.constant("ones", ones, groups),
                g.constant("zeros", new float[groups], groups)), Onnx.attr("epsilon", GroupNorm.EPS));
        String back = g.op("Reshape", List.of(normed, g.op("Shape", List.of(x))));
        NDArray gamma = n.getParameters().get("gamma").getArray();
        NDArray beta = n.getParameters().get("beta").getArray();
        long c = gamma.size();
        String scaled = g.op("Mul", List.of(back, g.constant("gamma", gamma.toFloatArray(), c, 1, 1)));
        return g.op("Add", List.of(scaled, g.constant("beta", beta.toFloatArray(), c, 1, 1)));
    }

    private String lambda(String name, String x) {
        long[] pool = {Models.POOL, Models.POOL};
        return switch (name) {
            case "identity" -> x;
            case "batchFlatten" -> g.op("Flatten", List.of(x), Onnx.attr("axis", 1L));
            case "maxPool2d" -> g.op("MaxPool", List.of(x), Onnx.attr("kernel_shape", pool), Onnx.attr("strides", pool));
            case "avgPool2d" -> g.op("AveragePool", List.of(x), Onnx.attr("kernel_shape", pool),
                    Onnx.attr("strides", pool));
            case "globalAvgPool2d" -> g.op("Flatten", List.of(g.op("GlobalAveragePool", List.of(x))),
                    Onnx.attr("axis", 1L));
            case "ReLU" -> g.op("Relu", List.of(x));
            case "LeakyReLU" -> g.op("LeakyRelu", List.of(x), Onnx.attr("alpha", Activations.LEAKY_SLOPE));
            case "ELU" -> g.op("Elu", List.of(x), Onnx.attr("alpha", Activations.ELU_ALPHA));
            // PyTorch's constants, as float32
            case "SELU" -> g.op("Selu", List.of(x), Onnx.attr("alpha", 1.6732632423543772f),
                    Onnx.attr("gamma", 1.0507009873554805f));
            case "GELU" -> gelu(x);
            case "Swish" -> g.op("Mul", List.of(x, g.op("Sigmoid", List.of(x))));
            case "Mish" -> mish(x);
            default -> throw new IllegalArgumentException("no ONNX mapping for the lambda block '" + name + "'");
        };
    }

    /** The exact (erf) GELU, as PyTorch computes it: x * 0.5 * (1 + erf(x / sqrt(2))). Opset 17 has no Gelu op. */
    private String gelu(String x) {
        String erf = g.op("Erf", List.of(g.op("Mul", List.of(x, scalar("inv_sqrt2", (float) (1 / Math.sqrt(2)))))));
        String onePlus = g.op("Add", List.of(erf, scalar("one", 1f)));
        return g.op("Mul", List.of(g.op("Mul", List.of(x, scalar("half", 0.5f))), onePlus));
    }

    /**
     * Mish as DJL 0.36 computes it, the model tuneup trained: x * tanh(log2(1 + e^x)). DJL takes log2
     * where Misra (2019) takes ln, so this is softplus(x) / ln 2 inside the tanh, not ONNX's Mish.
     */
    private String mish(String x) {
        String log2 = g.op("Mul", List.of(g.op("Softplus", List.of(x)), scalar("inv_ln2", (float) (1 / Math.log(2)))));
        return g.op("Mul", List.of(x, g.op("Tanh", List.of(log2))));
    }

    private String scalar(String hint, float v) {
        return g.constant(hint, new float[] {v});
    }

    private String param(Block b, String name) {
        NDArray a = b.getParameters().get(name).getArray();
        return g.constant(name, a.toFloatArray(), a.getShape().getShape());
    }
}
