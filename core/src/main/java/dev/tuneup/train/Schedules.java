package dev.tuneup.train;

import static dev.tuneup.spec.SpecArgs.num;
import static dev.tuneup.train.ScheduleArgs.check;
import static dev.tuneup.train.ScheduleArgs.count;
import static dev.tuneup.train.ScheduleArgs.positive;

import dev.tuneup.spec.SpecArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The schedule spec language, one {@code kind(arg, key=value, ...)}: arguments by name, or by
 * position in the order listed in docs/schedules.md (warmup arguments by name only); whole numbers may be written {@code 1e3};
 * tuples {@code (a,b)}. Every step-driven kind also takes {@code warmup=N} (steps) and
 * {@code warmup_start=f} (see {@link Schedule.Warmup}). Errors name the kind and argument and list
 * what is allowed; printing a parsed schedule gives a canonical string that parses to an equal one.
 * The metric-driven {@code plateau(...)} is read by {@link #parsePlateau}.
 */
public final class Schedules {
    private record Def(SpecArgs.Signature signature, Function<SpecArgs, Schedule> make) {
    }

    private static final Map<String, Def> KINDS = new TreeMap<>();
    private static final List<String> WARMUP = List.of("warmup", "warmup_start");
    private static final List<String> PLATEAU = List.of("lr", "factor", "patience", "mode", "threshold", "cooldown", "min");
    private static final SpecArgs.Signature PLATEAU_ARGS = SpecArgs.Signature.of(PLATEAU, PLATEAU.size());
    private static final String LR = "the learning rate, > 0";

    private static void def(String kind, String params, Function<SpecArgs, Schedule> make) {
        List<String> all = new ArrayList<>(List.of(params.split(",")));
        int positional = all.size();
        all.addAll(WARMUP);
        KINDS.put(kind, new Def(SpecArgs.Signature.of(all, positional), make));
    }

    static {
        def("constant", "lr", a -> new Schedule.Constant(a.number("lr", null, LR)));
        def("step", "lr,every,gamma", a -> new Schedule.Step(a.number("lr", null, LR),
                a.whole("every", null, "steps between decays"), a.number("gamma", 0.1, "")));
        def("multistep", "lr,at,gamma", a -> new Schedule.MultiStep(a.number("lr", null, LR),
                a.wholes("at", "the steps where the LR drops, e.g. at=(3000,6000)"), a.number("gamma", 0.1, "")));
        def("exponential", "lr,gamma", a -> new Schedule.Exponential(a.number("lr", null, LR),
                a.number("gamma", null, "the decay per step, e.g. 0.999")));
        def("poly", "lr,power,min", a -> new Schedule.Poly(a.number("lr", null, LR), a.number("power", 1.0, ""),
                a.number("min", 0.0, "")));
        def("cosine", "lr,min,restarts,mult", a -> new Schedule.Cosine(a.number("lr", null, LR),
                a.number("min", 0.0, ""), count(a, "restarts", 0, 1000), a.number("mult", 1.0, "")));
        def("onecycle", "max,pct,div,final", a -> new Schedule.OneCycle(a.number("max", null, "the peak LR, > 0"),
                a.number("pct", 0.3, ""), a.number("div", 25.0, ""), a.number("final", 1e4, "")));
        def("cyclic", "base,max,half,mode,gamma", a -> new Schedule.Cyclic(a.number("base", null, "the lowest LR"),
                a.number("max", null, "the highest LR"), a.whole("half", null, "steps from base to max"),
                Schedule.Cyclic.Mode.valueOf(a.word("mode", "triangular", List.of("triangular", "triangular2",
                        "exp_range")).toUpperCase(Locale.ROOT)), a.number("gamma", 1.0, "")));
    }

    private Schedules() {
    }

    /** The kinds the spec language knows, {@code plateau} included. */
    public static List<String> kinds() {
        List<String> all = new ArrayList<>(KINDS.keySet());
        all.add("plateau");
        all.sort(null);
        return all;
    }

    /** Whether {@code spec} is a {@code plateau(...)} (metric-driven) schedule. */
    public static boolean isPlateau(String spec) {
        return ScheduleArgs.kindOf(spec.strip()).equals("plateau");
    }

    /** Parses a step-driven schedule such as {@code cosine(lr=0.1,min=0,warmup=500)}. */
    public static Schedule parse(String spec) {
        String text = spec.strip();
        String kind = ScheduleArgs.kindOf(text);
        if (kind.equals("plateau")) {
            throw new IllegalArgumentException("plateau: is driven by a validation metric, not by the step; "
                    + "read it with Schedules.parsePlateau");
        }
        Def def = KINDS.get(kind);
        if (def == null) {
            throw new IllegalArgumentException((kind.isEmpty() ? "empty schedule" : "unknown schedule '" + kind + "'")
                    + "; allowed: " + String.join(", ", kinds()) + didYouMean(kind));
        }
        SpecArgs a = ScheduleArgs.bind(text, def.signature);
        long warmup = a.whole("warmup", 0L, "");
        double start = a.number("warmup_start", 0.0, "");
        Schedule schedule = def.make.apply(a);
        a.done();
        check(warmup != 0 || start == 0, kind, "warmup_start", start, "needs warmup=N (steps) as well");
        return schedule.withWarmup(warmup, start);
    }

    private static String didYouMean(String kind) {
        String guess = dev.tuneup.spec.Spelling.closest(kinds(), kind);
        return kind.isEmpty() || dev.tuneup.spec.Spelling.distance(guess, kind) > Math.max(2, kind.length() / 2) ? ""
                : " (did you mean " + guess + "?)";
    }

    /** Parses {@code plateau(lr=0.1,factor=0.1,patience=10,mode=min,...)} into a fresh schedule. */
    public static PlateauSchedule parsePlateau(String spec) {
        return parsePlateauConfig(spec).start();
    }

    /** The settings of a {@code plateau(...)} spec; {@link PlateauSchedule.Config#start()} makes a fresh schedule. */
    public static PlateauSchedule.Config parsePlateauConfig(String spec) {
        String text = spec.strip();
        String kind = ScheduleArgs.kindOf(text);
        if (!kind.equals("plateau")) {
            throw new IllegalArgumentException("'" + kind + "' is not a plateau schedule; expected plateau("
                    + String.join(", ", PLATEAU) + ")");
        }
        SpecArgs a = ScheduleArgs.bind(text, PLATEAU_ARGS);
        PlateauSchedule.Config config = new PlateauSchedule.Config(a.number("lr", null, LR), a.number("factor", 0.1, ""),
                count(a, "patience", 10, 1_000_000), PlateauSchedule.Mode.valueOf(a.word("mode", "min",
                        List.of("min", "max")).toUpperCase(Locale.ROOT)), a.number("threshold", 1e-4, ""),
                count(a, "cooldown", 0, 1_000_000), a.number("min", 0.0, ""));
        a.done();
        return config;
    }

    /**
     * Reduce-on-plateau: multiplies the LR by {@code factor} (not below {@code min}) once the
     * validation metric has not improved for more than {@code patience} epochs in a row, then waits
     * {@code cooldown} epochs before counting again. An epoch improves when the metric beats the
     * best so far by the relative {@code threshold}: {@code m < best * (1 - threshold)} (mode min) or
     * {@code m > best * (1 + threshold)} (max); NaN never improves. A reduction smaller than 1e-8 is
     * skipped. These are torch's ReduceLROnPlateau decisions with threshold_mode rel, eps 1e-8. Not
     * a pure function of the step: told one metric per epoch by {@link #observe}; its state is the
     * small record {@link State}, for exact resume from a checkpoint. Not thread-safe.
     */
    public static final class PlateauSchedule {
        /** Whether lower (min: a loss) or higher (max: an accuracy) metric values are better. */
        public enum Mode {
            MIN, MAX
        }

        /** The settings, printed as the spec string. */
        public record Config(double lr, double factor, int patience, Mode mode, double threshold, int cooldown,
                double min) {
            public Config {
                positive("plateau", "lr", lr);
                check(factor > 0 && factor < 1, "plateau", "factor", factor, "must be in (0, 1)");
                check(patience >= 0, "plateau", "patience", patience, "must be >= 0 epochs");
                Objects.requireNonNull(mode, "mode");
                check(threshold >= 0 && threshold < 1, "plateau", "threshold", threshold, "must be in [0, 1) (relative)");
                check(cooldown >= 0, "plateau", "cooldown", cooldown, "must be >= 0 epochs");
                check(min >= 0 && min <= lr, "plateau", "min", min, "must be in [0, lr=" + num(lr) + "]");
            }

            /** A schedule with these settings and no metric seen yet. */
            public PlateauSchedule start() {
                return new PlateauSchedule(this);
            }

            @Override
            public String toString() {
                return "plateau(lr=" + num(lr) + ",factor=" + num(factor) + ",patience=" + patience + ",mode="
                        + mode.name().toLowerCase(Locale.ROOT) + ",threshold=" + num(threshold) + ",cooldown="
                        + cooldown + ",min=" + num(min) + ")";
            }
        }

        /**
         * Everything that changes as metrics arrive: the LR, the best metric so far (+/-Infinity
         * before the first), bad epochs in a row, cooldown epochs left, and epochs observed.
         */
        public record State(double lr, double best, int badEpochs, int cooldownLeft, long epochs) {
            public State {
                check(lr > 0 && Double.isFinite(lr), "plateau state", "lr", lr, "must be > 0");
                check(!Double.isNaN(best), "plateau state", "best", best, "must be a number or +/-Infinity");
                check(badEpochs >= 0, "plateau state", "badEpochs", badEpochs, "must be >= 0");
                check(cooldownLeft >= 0, "plateau state", "cooldownLeft", cooldownLeft, "must be >= 0");
                check(epochs >= 0, "plateau state", "epochs", epochs, "must be >= 0");
            }
        }

        /** torch's eps: reductions smaller than this are skipped. */
        static final double EPS = 1e-8;

        private final Config config;
        private double lr;
        private double best;
        private int badEpochs;
        private int cooldownLeft;
        private long epochs;

        public PlateauSchedule(Config config) {
            this.config = Objects.requireNonNull(config, "config");
            restore(new State(config.lr, config.mode == Mode.MIN ? Double.POSITIVE_INFINITY
                    : Double.NEGATIVE_INFINITY, 0, 0, 0));
        }

        /** Takes the validation metric of the epoch just finished; {@link #lr()} is then the next epoch's LR. */
        public void observe(double metric) {
            epochs++;
            boolean better = config.mode == Mode.MIN ? metric < best * (1.0 - config.threshold)
                    : metric > best * (config.threshold + 1.0);
            if (better) {
                best = metric;
                badEpochs = 0;
            } else {
                badEpochs++;
            }
            if (cooldownLeft > 0) {
                cooldownLeft--;
                badEpochs = 0;
            }
            if (badEpochs > config.patience) {
                double reduced = Math.max(lr * config.factor, config.min);
                if (lr - reduced > EPS) {
                    lr = reduced;
                }
                cooldownLeft = config.cooldown;
                badEpochs = 0;
            }
        }

        /** The LR to use now. */
        public double lr() {
            return lr;
        }

        public Config config() {
            return config;
        }

        /** A snapshot of the state, for a checkpoint. */
        public State state() {
            return new State(lr, best, badEpochs, cooldownLeft, epochs);
        }

        /** Continues from a snapshot taken by {@link #state()} of a schedule with the same config. */
        public void restore(State state) {
            lr = state.lr();
            best = state.best();
            badEpochs = state.badEpochs();
            cooldownLeft = state.cooldownLeft();
            epochs = state.epochs();
        }

        /** The spec string of the config. */
        @Override
        public String toString() {
            return config.toString();
        }
    }
}
