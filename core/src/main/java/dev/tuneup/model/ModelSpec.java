package dev.tuneup.model;

import java.util.List;
import java.util.Locale;

/**
 * What to build. {@code arch}: {@code cnn} (conv stages of {@code convWidths}, each conv followed by
 * norm and activation, {@code pool} after each stage, then {@code denseWidths} and the head),
 * {@code resnet} (CIFAR ResNet of depth 6n+2: 8/14/20/32/56/..., widths 16/32/64 times
 * {@code width}), {@code resnet18} (CIFAR-style ResNet-18: 3x3 stem, no max pool, widths 64..512
 * times {@code width}) or {@code wrn} (WideResNet-depth-width, pre-activation, depth 6n+4).
 *
 * @param kernel         conv kernel size for {@code cnn}
 * @param headDropout    dropout before the classifier
 * @param spatialDropout channel dropout inside conv stages / residual blocks (0 = off)
 */
public record ModelSpec(String arch, int depth, double width, List<Integer> convWidths, int kernel, String pool,
                        List<Integer> denseWidths, Activations.Kind activation, Norms.Kind norm, double headDropout,
                        double spatialDropout, int inChannels, int height, int widthPx, int numClasses) {
    public ModelSpec {
        arch = arch.toLowerCase(Locale.ROOT);
        convWidths = List.copyOf(convWidths);
        denseWidths = List.copyOf(denseWidths);
        String problem = problem(arch, depth, width, convWidths, kernel, pool, headDropout, spatialDropout,
                inChannels, height, widthPx, numClasses);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static String problem(String arch, int depth, double width, List<Integer> convWidths, int kernel,
                                  String pool, double headDropout, double spatialDropout, int inChannels,
                                  int height, int widthPx, int numClasses) {
        switch (arch) {
            case "cnn":
                if (convWidths.isEmpty() || kernel < 1 || kernel % 2 == 0) {
                    return "cnn needs at least one conv width and an odd kernel size";
                }
                if (!List.of("max", "avg", "none").contains(pool)) {
                    return "pool '" + pool + "' is not one of max, avg, none";
                }
                break;
            case "resnet":
                if (depth < 8 || (depth - 2) % 6 != 0) {
                    return "resnet depth must be 6n+2 (8, 14, 20, 32, 44, 56, 110), got " + depth;
                }
                break;
            case "wrn":
                if (depth < 10 || (depth - 4) % 6 != 0) {
                    return "wrn depth must be 6n+4 (10, 16, 22, 28, 40), got " + depth;
                }
                break;
            case "resnet18":
                break;
            default:
                return "arch '" + arch + "' is not one of cnn, resnet, resnet18, wrn";
        }
        if (!(width > 0)) {
            return "width multiplier must be positive, got " + width;
        }
        if (headDropout < 0 || headDropout >= 1 || spatialDropout < 0 || spatialDropout >= 1) {
            return "dropout rates must be in [0, 1)";
        }
        if ((inChannels != 1 && inChannels != 3) || height < 4 || widthPx < 4 || numClasses < 2) {
            return "input must be 1 or 3 channels of at least 4x4 pixels, with at least 2 classes";
        }
        return null;
    }

    /** ResNet-{@code depth} for {@code classes} classes on 3x32x32, ReLU, BatchNorm. */
    public static ModelSpec resnet(int depth, int inChannels, int size, int classes) {
        return new ModelSpec("resnet", depth, 1, List.of(), 3, "none", List.of(), Activations.Kind.RELU,
                Norms.Kind.BATCH, 0, 0, inChannels, size, size, classes);
    }

    /** Scales a base channel count by the width multiplier (at least 1). */
    int scaled(int base) {
        return Math.max(1, (int) Math.round(base * width));
    }
}
