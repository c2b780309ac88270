package dev.tuneup.repair;

import dev.tuneup.spec.SpecArgs;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Augmentation aimed at the corruptions a model is weakest on: each corruption maps to the
 * augmentation op (docs/augment.md) that shows the model that kind of shift during training.
 * Corruptions with no faithful op (pixelate, JPEG, elastic) map to AugMix, the general-purpose
 * robustness policy.
 */
public final class TargetedAugment {
    private static final Map<String, String> OPS = Map.ofEntries(
            Map.entry("gaussian_noise", "noise(std=0.08,p=0.5)"),
            Map.entry("shot_noise", "noise(std=0.08,p=0.5)"),
            Map.entry("impulse_noise", "noise(std=0.08,p=0.5)"),
            Map.entry("defocus_blur", "blur(kernel=5,sigma=(0.1,1.5),p=0.5)"),
            Map.entry("gaussian_blur", "blur(kernel=5,sigma=(0.1,1.5),p=0.5)"),
            Map.entry("motion_blur", "blur(kernel=5,sigma=(0.1,1.5),p=0.5)"),
            Map.entry("brightness", "colorjitter(brightness=0.5,p=0.8)"),
            Map.entry("contrast", "colorjitter(contrast=0.8,p=0.8)"),
            Map.entry("saturate", "colorjitter(saturation=0.8,p=0.8)"),
            Map.entry("fog", "colorjitter(contrast=0.8,brightness=0.3,p=0.8)"),
            Map.entry("rotate", "rotate(degrees=30,p=0.5)"),
            Map.entry("shear", "affine(shear=25,p=0.5)"),
            Map.entry("scale", "affine(scale=(0.6,1.0),p=0.5)"),
            Map.entry("translate", "affine(translate=(0.2,0.2),p=0.5)"),
            Map.entry("invert", "invert(p=0.2)"),
            Map.entry("pixelate", "augmix"),
            Map.entry("jpeg_compression", "augmix"),
            Map.entry("elastic_transform", "augmix"));

    private TargetedAugment() {
    }

    /** The augmentation op for a corruption id. */
    public static String op(String corruption) {
        String op = OPS.get(corruption);
        if (op == null) {
            throw new IllegalArgumentException("no augmentation is known for corruption '" + corruption + "'");
        }
        return op;
    }

    /** {@code base} followed by the ops of {@code weakest} (each op once), without replay. */
    public static String spec(String base, List<String> weakest) {
        return spec(base, weakest, 0);
    }

    /**
     * {@code base}, then (when {@code replay > 0}) {@code replay(p=replay)} so that share of the images
     * is trained on as the base pipeline leaves it, then the ops of {@code weakest} (each op once).
     */
    public static String spec(String base, List<String> weakest, double replay) {
        if (!(replay >= 0 && replay < 1)) {
            throw new IllegalArgumentException("replay must be in [0, 1), got " + replay);
        }
        return join(base, replay > 0 ? "replay(p=" + SpecArgs.num(replay) + ")" : null, weakest);
    }

    /**
     * AugMix-style consistency training aimed at {@code weakest}: {@code base | jsd(weight=w) | ops}: the
     * classification loss sees the base pipeline's clean view, and two views drawn with the targeted ops
     * are pulled toward it by the Jensen-Shannon term.
     */
    public static String consistency(String base, List<String> weakest, double weight) {
        if (!(weight > 0)) {
            throw new IllegalArgumentException("the jsd weight must be positive, got " + weight);
        }
        return join(base, "jsd(weight=" + SpecArgs.num(weight) + ")", weakest);
    }

    private static String join(String base, String marker, List<String> weakest) {
        Set<String> ops = new LinkedHashSet<>();
        for (String c : weakest) {
            ops.add(op(c));
        }
        List<String> parts = new ArrayList<>();
        if (base != null && !base.isBlank()) {
            parts.add(base.strip());
        }
        if (marker != null) {
            parts.add(marker);
        }
        parts.addAll(ops);
        return String.join(" | ", parts);
    }
}
