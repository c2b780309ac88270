package dev.tuneup.finetune;

import dev.tuneup.train.Schedule;
import dev.tuneup.train.Schedules;
import java.util.List;
import java.util.Objects;

/**
 * Which LR schedules the phases of a fine-tune follow:
 * <ul>
 * <li>{@link Source#RECIPE}: the recipe's own one-cycles (nothing configured);</li>
 * <li>{@link Source#EVERY_PHASE}: the config's {@code schedule:}, restarted in every phase;</li>
 * <li>{@link Source#PER_PHASE}: {@code finetune.schedules}, one per phase in order.</li>
 * </ul>
 * A configured schedule is used as written when {@code finetune.lr} is 0 (its LR is the head's; the
 * recipe's multipliers, e.g. discriminative LRs, apply beneath it), or scaled so that its peak is the
 * phase's recipe LR when {@code finetune.lr} is set (the shape from the schedule, the size from the
 * recipe, as timm's {@code --sched} and {@code --lr}). Steps in a schedule ({@code warmup=},
 * {@code every=}, {@code at=}) count from the start of each phase.
 */
public record PhaseSchedules(Source source, List<Lr> given) {
    /** Where the phases' schedules come from; {@link #key()} is the config key that set them. */
    public enum Source {
        RECIPE(""), EVERY_PHASE("schedule"), PER_PHASE("finetune.schedules");

        private final String key;

        Source(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** No schedule configured: the recipe's one-cycles. */
    public static final PhaseSchedules RECIPE = new PhaseSchedules(Source.RECIPE, List.of());

    public PhaseSchedules {
        Objects.requireNonNull(source, "source");
        given = List.copyOf(given);
        if ((source == Source.RECIPE) != given.isEmpty() || source == Source.EVERY_PHASE && given.size() != 1) {
            throw new IllegalArgumentException(source + " with " + given.size() + " schedules");
        }
    }

    /** The config's {@code schedule:} for every phase. */
    public static PhaseSchedules everyPhase(Lr lr) {
        return new PhaseSchedules(Source.EVERY_PHASE, List.of(lr));
    }

    /** {@code finetune.schedules}, one per phase. */
    public static PhaseSchedules perPhase(List<Lr> lrs) {
        return new PhaseSchedules(Source.PER_PHASE, lrs);
    }

    /** The schedule phase {@code k} (0-based) follows, or null for the recipe's own. */
    Lr forPhase(int k) {
        return switch (source) {
            case RECIPE -> null;
            case EVERY_PHASE -> given.get(0);
            case PER_PHASE -> given.get(k);
        };
    }

    /** The config key of phase {@code k}'s schedule, for messages: {@code schedule}, {@code finetune.schedules[1]}. */
    public String keyOf(int k) {
        return source == Source.PER_PHASE ? source.key() + "[" + k + "]" : source.key();
    }

    /**
     * One phase's LR: a step-driven schedule or a reduce-on-plateau one; exactly one is non-null.
     */
    public record Lr(Schedule schedule, Schedules.PlateauSchedule.Config plateau) {
        public Lr {
            if ((schedule == null) == (plateau == null)) {
                throw new IllegalArgumentException("give a step schedule or a plateau one, not " + (schedule == null
                        ? "neither" : "both"));
            }
        }

        public static Lr of(Schedule s) {
            return new Lr(s, null);
        }

        public static Lr of(Schedules.PlateauSchedule.Config p) {
            return new Lr(null, p);
        }

        /** The highest LR it gives. */
        public double peak() {
            return schedule != null ? schedule.peak() : plateau.lr();
        }

        /** The same shape peaking at {@code peak}. */
        public Lr peakingAt(double peak) {
            double f = peak / peak();
            if (schedule != null) {
                return of(schedule.scaled(f));
            }
            Schedules.PlateauSchedule.Config p = plateau;
            return of(new Schedules.PlateauSchedule.Config(p.lr() * f, p.factor(), p.patience(), p.mode(),
                    p.threshold(), p.cooldown(), p.min() * f));
        }

        @Override
        public String toString() {
            return schedule != null ? schedule.toString() : plateau.toString();
        }
    }
}
