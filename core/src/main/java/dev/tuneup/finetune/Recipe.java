package dev.tuneup.finetune;

import dev.tuneup.train.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The fine-tuning recipes, each a list of {@link Phase}s run one after another on the same model:
 * <ul>
 * <li>{@code linear_probe}: only the head trains; the backbone runs in inference mode.</li>
 * <li>{@code full}: everything trains at one LR.</li>
 * <li>{@code fine_tune} (fastai): {@code freeze_epochs} with the backbone frozen on a one-cycle
 *     peaking at {@code lr} (pct 0.99), then everything unfrozen for {@code epochs} on a one-cycle
 *     peaking at {@code lr/2} (pct 0.3, div 5) with discriminative LRs: the groups' LRs are spaced
 *     geometrically from {@code lr/2/lr_mult} (input side) to {@code lr/2} (head).</li>
 * <li>{@code llrd} (layer-wise LR decay, as in BEiT/timm): everything trains; a layer {@code d}
 *     below the head gets {@code layer_decay^d} of the LR.</li>
 * <li>{@code gradual} (ULMFiT): one epoch per step unfreezing one more group from the top, then the
 *     rest of the epochs with all groups and discriminative LRs as in {@code fine_tune}.</li>
 * </ul>
 * With {@code bn: freeze}, phases that train the backbone run it in inference mode, so its
 * BatchNorm statistics stay those of the base.
 */
public final class Recipe {
    /**
     * One stretch of training with fixed frozen parameters, LR multipliers and schedule.
     *
     * @param backboneInference run everything but the head in inference mode during training
     */
    public record Phase(String name, int epochs, Predicate<String> frozen, ToDoubleFunction<String> lrScale,
                        Schedule schedule, boolean backboneInference) {
        public String describe() {
            return String.format(Locale.ROOT, "%s: %d epoch%s, %s", name, epochs, epochs == 1 ? "" : "s", schedule);
        }
    }

    /** The recipes, named in configs in lower case ({@code fine_tune}). */
    public enum Kind {
        LINEAR_PROBE, FULL, FINE_TUNE, LLRD, GRADUAL;

        /** The name configs use. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The knobs, as in the config's {@code finetune} section. */
    public record Settings(Kind recipe, int epochs, int freezeEpochs, double lr, double lrMult, double layerDecay,
                           int groups, boolean freezeBn) {
    }

    private Recipe() {
    }

    public static List<Phase> plan(Settings s, Layers layers) {
        Predicate<String> none = p -> false;
        Predicate<String> body = p -> !layers.isHead(p);
        ToDoubleFunction<String> one = p -> 1.0;
        List<Phase> out = new ArrayList<>();
        switch (s.recipe()) {
            case LINEAR_PROBE -> out.add(new Phase("linear probe", s.epochs(), body, one, cycle(s.lr(), 0.3, 25), true));
            case FULL -> out.add(new Phase("full", s.epochs(), none, one, cycle(s.lr(), 0.3, 25), s.freezeBn()));
            case LLRD -> out.add(new Phase("layer-wise LR decay " + s.layerDecay(), s.epochs(), none,
                    p -> Math.pow(s.layerDecay(), Math.max(0, layers.depthFromHead(p))), cycle(s.lr(), 0.3, 25),
                    s.freezeBn()));
            case FINE_TUNE -> {
                if (s.freezeEpochs() > 0) {
                    out.add(new Phase("frozen backbone", s.freezeEpochs(), body, one, cycle(s.lr(), 0.99, 25), true));
                }
                out.add(discriminative("unfrozen", s, layers, s.epochs()));
            }
            case GRADUAL -> {
                List<List<String>> groups = layers.groups(s.groups());
                for (int k = 1; k < groups.size() && out.size() < s.epochs() - 1; k++) {
                    int firstTrained = groups.size() - k;
                    Predicate<String> frozen = p -> layers.groupOf(p, groups) < firstTrained;
                    out.add(new Phase("top " + k + " of " + groups.size() + " groups", 1, frozen, one,
                            cycle(s.lr(), 0.3, 25), true));
                }
                out.add(discriminative("all groups", s, layers, Math.max(1, s.epochs() - out.size())));
            }
        }
        return out;
    }

    /** Everything trains; group g of G gets lr_mult^-(G-1-g)/(G-1) of the peak LR lr/2. */
    private static Phase discriminative(String name, Settings s, Layers layers, int epochs) {
        List<List<String>> groups = layers.groups(s.groups());
        int last = groups.size() - 1;
        ToDoubleFunction<String> scale = p -> {
            int g = layers.groupOf(p, groups);
            return last == 0 || g < 0 ? 1.0 : Math.pow(s.lrMult(), -(double) (last - g) / last);
        };
        return new Phase(name + ", discriminative LRs over " + groups.size() + " groups", epochs, p -> false, scale,
                cycle(s.lr() / 2, 0.3, 5), s.freezeBn());
    }

    private static Schedule cycle(double max, double pct, double div) {
        return new Schedule.OneCycle(max, pct, div, 1e4);
    }
}
