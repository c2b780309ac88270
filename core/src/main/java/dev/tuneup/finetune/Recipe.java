package dev.tuneup.finetune;

import dev.tuneup.TuneupException;
import dev.tuneup.train.Schedule;
import dev.tuneup.train.Schedules;
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
 * BatchNorm statistics stay those of the base. A schedule in the config replaces the one-cycles
 * (see {@link PhaseSchedules}: as written, or scaled to each phase's recipe LR when {@code lr} is set).
 */
public final class Recipe {
    /**
     * One stretch of training with fixed frozen parameters, LR multipliers and schedule.
     *
     * @param schedule          the step-driven schedule, or null when {@code plateau} drives the LR
     * @param plateau           a reduce-on-plateau schedule's settings, or null
     * @param backboneInference run everything but the head in inference mode during training
     * @param scheduleKey       the config key that set the schedule ("" for the recipe's own), for messages
     */
    public record Phase(String name, int epochs, Predicate<String> frozen, ToDoubleFunction<String> lrScale,
                        Schedule schedule, Schedules.PlateauSchedule.Config plateau, boolean backboneInference,
                        String scheduleKey) {
        public String describe() {
            return String.format(Locale.ROOT, "%s: %d epoch%s, %s%s", name, epochs, epochs == 1 ? "" : "s",
                    schedule != null ? schedule : plateau, scheduleKey.isEmpty() ? "" : " (" + scheduleKey + ")");
        }

        /** The same phase on {@code lr} instead of its schedule. */
        Phase with(PhaseSchedules.Lr lr, String key) {
            return new Phase(name, epochs, frozen, lrScale, lr.schedule(), lr.plateau(), backboneInference, key);
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

    /**
     * The knobs, as in the config's {@code finetune} section.
     *
     * @param lr        the peak LR of the recipe; with configured {@code schedules}, 0 uses them as written
     * @param schedules the configured schedules, or {@link PhaseSchedules#RECIPE}
     */
    public record Settings(Kind recipe, int epochs, int freezeEpochs, double lr, double lrMult, double layerDecay,
                           int groups, boolean freezeBn, PhaseSchedules schedules) {
        /** With the recipe's own schedules. */
        public Settings(Kind recipe, int epochs, int freezeEpochs, double lr, double lrMult, double layerDecay,
                        int groups, boolean freezeBn) {
            this(recipe, epochs, freezeEpochs, lr, lrMult, layerDecay, groups, freezeBn, PhaseSchedules.RECIPE);
        }
    }

    /**
     * How many phases {@code recipe} has when it does not depend on the model ({@code gradual} does:
     * one per layer group unfrozen), else -1.
     */
    public static int phaseCount(Kind recipe, int freezeEpochs) {
        return switch (recipe) {
            case LINEAR_PROBE, FULL, LLRD -> 1;
            case FINE_TUNE -> freezeEpochs > 0 ? 2 : 1;
            case GRADUAL -> -1;
        };
    }

    private Recipe() {
    }

    /**
     * The phases of {@code s}'s recipe on a model with {@code layers}, each on its configured schedule
     * when there is one; a list of {@code finetune.schedules} of another length than the phases is an
     * error naming them.
     */
    public static List<Phase> plan(Settings s, Layers layers) {
        List<Phase> phases = recipe(s, layers);
        PhaseSchedules given = s.schedules();
        if (given.source() == PhaseSchedules.Source.RECIPE) {
            return phases;
        }
        if (given.source() == PhaseSchedules.Source.PER_PHASE && given.given().size() != phases.size()) {
            throw new TuneupException("config finetune.schedules lists " + given.given().size() + " schedule"
                    + (given.given().size() == 1 ? "" : "s") + " but recipe " + s.recipe().configName() + " has "
                    + phases.size() + " phase" + (phases.size() == 1 ? "" : "s") + " here: " + String.join("; ",
                    phases.stream().map(Phase::name).toList()), "give one schedule per phase, or set schedule: for"
                    + " every phase");
        }
        List<Phase> out = new ArrayList<>();
        for (int k = 0; k < phases.size(); k++) {
            Phase p = phases.get(k);
            PhaseSchedules.Lr lr = given.forPhase(k);
            out.add(p.with(s.lr() > 0 ? lr.peakingAt(p.schedule().peak()) : lr, given.keyOf(k)));
        }
        return out;
    }

    /** The recipe's phases on its own one-cycles. */
    private static List<Phase> recipe(Settings s, Layers layers) {
        Predicate<String> none = p -> false;
        Predicate<String> body = p -> !layers.isHead(p);
        ToDoubleFunction<String> one = p -> 1.0;
        List<Phase> out = new ArrayList<>();
        switch (s.recipe()) {
            case LINEAR_PROBE -> out.add(new Phase("linear probe", s.epochs(), body, one, cycle(s.lr(), 0.3, 25), null,
                    true, ""));
            case FULL -> out.add(new Phase("full", s.epochs(), none, one, cycle(s.lr(), 0.3, 25), null, s.freezeBn(),
                    ""));
            case LLRD -> out.add(new Phase("layer-wise LR decay " + s.layerDecay(), s.epochs(), none,
                    p -> Math.pow(s.layerDecay(), Math.max(0, layers.depthFromHead(p))), cycle(s.lr(), 0.3, 25), null,
                    s.freezeBn(), ""));
            case FINE_TUNE -> {
                if (s.freezeEpochs() > 0) {
                    out.add(new Phase("frozen backbone", s.freezeEpochs(), body, one, cycle(s.lr(), 0.99, 25), null,
                            true, ""));
                }
                out.add(discriminative("unfrozen", s, layers, s.epochs()));
            }
            case GRADUAL -> {
                List<List<String>> groups = layers.groups(s.groups());
                for (int k = 1; k < groups.size() && out.size() < s.epochs() - 1; k++) {
                    int firstTrained = groups.size() - k;
                    Predicate<String> frozen = p -> layers.groupOf(p, groups) < firstTrained;
                    out.add(new Phase("top " + k + " of " + groups.size() + " groups", 1, frozen, one,
                            cycle(s.lr(), 0.3, 25), null, true, ""));
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
                cycle(s.lr() / 2, 0.3, 5), null, s.freezeBn(), "");
    }

    /** A one-cycle peaking at {@code max}; at 1 when {@code max} is 0 (configured schedules then replace it as written). */
    private static Schedule cycle(double max, double pct, double div) {
        return new Schedule.OneCycle(max > 0 ? max : 1, pct, div, 1e4);
    }
}
