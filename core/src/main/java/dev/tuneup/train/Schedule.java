package dev.tuneup.train;

import static dev.tuneup.spec.SpecArgs.num;
import static dev.tuneup.train.ScheduleArgs.check;
import static dev.tuneup.train.ScheduleArgs.checkStep;
import static dev.tuneup.train.ScheduleArgs.decay;
import static dev.tuneup.train.ScheduleArgs.positive;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A learning-rate schedule: the LR as a pure function of the optimizer step. An implementation
 * holds no state, so the same {@code (step, totalSteps)} always gives the same LR and resuming a run
 * needs nothing but the step. Each kind is a record here, built by a static factory or parsed from
 * its string form by {@link Schedules#parse}; {@link #toString()} prints that canonical form back.
 * The values match {@code torch.optim.lr_scheduler} (see docs/schedules.md for the differences at
 * the edges). A metric-driven schedule cannot be a function of the step: see
 * {@link Schedules.PlateauSchedule}.
 */
public interface Schedule {
    /**
     * The LR for optimizer step {@code step} (0-based) of a run of {@code totalSteps} steps.
     *
     * @throws IllegalArgumentException if {@code step < 0}, {@code totalSteps < 1}, or the run is
     *     too short for the schedule (a warmup as long as the run)
     */
    double at(long step, long totalSteps);

    /** The canonical spec string; {@link Schedules#parse} of it gives an equal schedule. */
    @Override
    String toString();

    /** The highest LR this schedule can give: its {@code lr} or {@code max} argument (decays never exceed it). */
    double peak();

    /**
     * The same shape with every LR-valued argument ({@code lr}, {@code min}, {@code max}, {@code base})
     * multiplied by {@code factor > 0}; step counts, fractions and decay factors unchanged. So
     * {@code s.scaled(f).at(t, n) == f * s.at(t, n)} up to rounding, and {@code scaled(p / peak())}
     * peaks at {@code p}. What fine-tuning uses to put a configured schedule at a recipe's phase LR.
     */
    Schedule scaled(double factor);

    /**
     * This schedule behind a linear warmup of {@code steps} steps from {@code start} times its
     * first LR; {@code steps == 0} is this schedule itself. See {@link Warmup}.
     */
    default Schedule withWarmup(long steps, double start) {
        return steps == 0 ? this : new Warmup(this, steps, start);
    }

    static Constant constant(double lr) {
        return new Constant(lr);
    }

    static Step step(double lr, long every, double gamma) {
        return new Step(lr, every, gamma);
    }

    static MultiStep multistep(double lr, List<Long> at, double gamma) {
        return new MultiStep(lr, at, gamma);
    }

    static Exponential exponential(double lr, double gamma) {
        return new Exponential(lr, gamma);
    }

    static Poly poly(double lr, double power, double min) {
        return new Poly(lr, power, min);
    }

    static Cosine cosine(double lr, double min) {
        return new Cosine(lr, min, 0, 1);
    }

    static Cosine cosine(double lr, double min, int restarts, double mult) {
        return new Cosine(lr, min, restarts, mult);
    }

    static OneCycle oneCycle(double max, double pct, double div, double finalDiv) {
        return new OneCycle(max, pct, div, finalDiv);
    }

    static Cyclic cyclic(double base, double max, long half, Cyclic.Mode mode, double gamma) {
        return new Cyclic(base, max, half, mode, gamma);
    }

    /** {@code lr} at every step. {@code constant(lr=0.1)} */
    record Constant(double lr) implements Schedule {
        public Constant {
            positive("constant", "lr", lr);
        }

        @Override
        public double at(long step, long totalSteps) {
            checkStep(step, totalSteps);
            return lr;
        }

        @Override
        public String toString() {
            return "constant(lr=" + num(lr) + ")";
        }

        @Override
        public double peak() {
            return lr;
        }

        @Override
        public Schedule scaled(double factor) {
            return new Constant(lr * factor);
        }
    }

    /** {@code lr * gamma^floor(step / every)} (torch StepLR). {@code step(lr=0.1,every=1000,gamma=0.1)} */
    record Step(double lr, long every, double gamma) implements Schedule {
        public Step {
            positive("step", "lr", lr);
            check(every >= 1, "step", "every", every, "must be >= 1 step");
            decay("step", "gamma", gamma);
        }

        @Override
        public double at(long step, long totalSteps) {
            checkStep(step, totalSteps);
            return lr * Math.pow(gamma, step / every);
        }

        @Override
        public String toString() {
            return "step(lr=" + num(lr) + ",every=" + every + ",gamma=" + num(gamma) + ")";
        }

        @Override
        public double peak() {
            return lr;
        }

        @Override
        public Schedule scaled(double factor) {
            return new Step(lr * factor, every, gamma);
        }
    }

    /**
     * {@code lr * gamma^k}, k the number of milestones {@code <= step} (torch MultiStepLR); the
     * milestones strictly increase. {@code multistep(lr=0.1,at=(3000,6000),gamma=0.1)}
     */
    record MultiStep(double lr, List<Long> milestones, double gamma) implements Schedule {
        public MultiStep {
            positive("multistep", "lr", lr);
            milestones = List.copyOf(milestones);
            if (milestones.isEmpty()) {
                throw new IllegalArgumentException("multistep: at needs at least one step, e.g. at=(3000,6000)");
            }
            long previous = 0;
            for (long m : milestones) {
                check(m > previous, "multistep", "at", m, "must be >= 1 and after the previous milestone");
                previous = m;
            }
            decay("multistep", "gamma", gamma);
        }

        @Override
        public double at(long step, long totalSteps) {
            checkStep(step, totalSteps);
            int passed = 0;
            while (passed < milestones.size() && milestones.get(passed) <= step) {
                passed++;
            }
            return lr * Math.pow(gamma, passed);
        }

        @Override
        public String toString() {
            return "multistep(lr=" + num(lr) + ",at=(" + milestones.stream().map(String::valueOf)
                    .collect(Collectors.joining(",")) + "),gamma=" + num(gamma) + ")";
        }

        @Override
        public double peak() {
            return lr;
        }

        @Override
        public Schedule scaled(double factor) {
            return new MultiStep(lr * factor, milestones, gamma);
        }
    }

    /** {@code lr * gamma^step} (torch ExponentialLR). {@code exponential(lr=0.1,gamma=0.999)} */
    record Exponential(double lr, double gamma) implements Schedule {
        public Exponential {
            positive("exponential", "lr", lr);
            decay("exponential", "gamma", gamma);
        }

        @Override
        public double at(long step, long totalSteps) {
            checkStep(step, totalSteps);
            return lr * Math.pow(gamma, step);
        }

        @Override
        public String toString() {
            return "exponential(lr=" + num(lr) + ",gamma=" + num(gamma) + ")";
        }

        @Override
        public double peak() {
            return lr;
        }

        @Override
        public Schedule scaled(double factor) {
            return new Exponential(lr * factor, gamma);
        }
    }

    /**
     * Polynomial decay to {@code min} at the end of the run, the "poly" policy of DeepLab (Chen et
     * al., 2017): {@code min + (lr - min) * (1 - min(step, total) / total)^power}; with {@code min=0}
     * torch's PolynomialLR with {@code total_iters = total}. {@code poly(lr=0.1,power=2,min=0)}
     */
    record Poly(double lr, double power, double min) implements Schedule {
        public Poly {
            positive("poly", "lr", lr);
            check(power > 0 && power <= 100, "poly", "power", power, "must be in (0, 100]");
            check(min >= 0 && min <= lr, "poly", "min", min, "must be in [0, lr=" + num(lr) + "]");
        }

        @Override
        public double at(long step, long totalSteps) {
            checkStep(step, totalSteps);
            double left = 1.0 - (double) Math.min(step, totalSteps) / totalSteps;
            return min + (lr - min) * Math.pow(left, power);
        }

        @Override
        public String toString() {
            return "poly(lr=" + num(lr) + ",power=" + num(power) + ",min=" + num(min) + ")";
        }

        @Override
        public double peak() {
            return lr;
        }

        @Override
        public Schedule scaled(double factor) {
            return new Poly(lr * factor, power, min * factor);
        }
    }

    /**
     * Cosine annealing from {@code lr} to {@code min}, with optional warm restarts: SGDR
     * (Loshchilov and Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017).
     * Within a cycle of {@code T} steps, {@code t} steps in: {@code min + (lr - min) * (1 + cos(pi *
     * t / T)) / 2}. Without restarts the one cycle is the whole run ({@code T = total}, so the LR
     * reaches {@code min} at step {@code total} and stays there): torch's CosineAnnealingLR with
     * {@code T_max = total}. With {@code restarts = r} the run holds {@code r + 1} cycles, each
     * {@code mult} times longer than the one before, and the first is as long as makes them fill
     * the run exactly: {@code T_0 = total / (1 + mult + ... + mult^r)}, which may be fractional;
     * where it is whole this is torch's CosineAnnealingWarmRestarts(T_0, T_mult = mult).
     * {@code cosine(lr=0.1,min=0)}, {@code cosine(lr=0.1,min=0,restarts=3,mult=2)}
     */
    record Cosine(double lr, double min, int restarts, double mult) implements Schedule {
        public Cosine {
            positive("cosine", "lr", lr);
            check(min >= 0 && min <= lr, "cosine", "min", min, "must be in [0, lr=" + num(lr) + "]");
            check(restarts >= 0 && restarts <= 1000, "cosine", "restarts", restarts, "must be in 0..1000");
            check(mult >= 1 && mult <= 100, "cosine", "mult", mult, "must be in [1, 100]");
            check(restarts > 0 || mult == 1, "cosine", "mult", mult,
                    "needs restarts >= 1 (it stretches each cycle after a restart)");
            check(Math.pow(mult, restarts) <= 1e6, "cosine", "restarts", restarts,
                    "with mult=" + num(mult) + " makes the last cycle over 1e6 times the first; use fewer restarts");
        }

        @Override
        public double at(long step, long totalSteps) {
            checkStep(step, totalSteps);
            // Cycle k starts at total * S_k / S (S_k = 1 + mult + ... + mult^(k-1), S = S_(r+1)); with
            // a whole mult these are exact integers, so a restart falls exactly on its step.
            double all = 0;
            double length = 1;
            for (int i = 0; i <= restarts; i++) {
                all += length;
                length *= mult;
            }
            double before = 0;
            double current = 1;
            for (int k = 0; k < restarts && step * all >= totalSteps * (before + current); k++) {
                before += current;
                current *= mult;
            }
            double cycle = totalSteps * current / all;
            double t = Math.min(step - totalSteps * before / all, cycle);
            return min + (lr - min) * (1 + Math.cos(Math.PI * t / cycle)) / 2;
        }

        @Override
        public String toString() {
            String restart = restarts == 0 ? "" : ",restarts=" + restarts + ",mult=" + num(mult);
            return "cosine(lr=" + num(lr) + ",min=" + num(min) + restart + ")";
        }

        @Override
        public double peak() {
            return lr;
        }

        @Override
        public Schedule scaled(double factor) {
            return new Cosine(lr * factor, min * factor, restarts, mult);
        }
    }

    /**
     * A linear warmup in front of any schedule, the "gradual warmup" of Goyal et al. ("Accurate,
     * Large Minibatch SGD", 2017). For {@code step < steps}: {@code first * (start + (1 - start) *
     * step / steps)}, where {@code first = inner.at(0, total - steps)}; from then on {@code
     * inner.at(step - steps, total - steps)}: the inner schedule runs over the rest of the run. This
     * is torch's SequentialLR of LinearLR(start_factor = start, total_iters = steps) and the inner
     * scheduler, milestone {@code steps}. Written as arguments of any schedule:
     * {@code cosine(lr=0.1,min=0,warmup=500,warmup_start=0.1)} ({@code warmup_start} defaults to 0).
     */
    record Warmup(Schedule inner, long steps, double start) implements Schedule {
        public Warmup {
            Objects.requireNonNull(inner, "inner");
            String kind = ScheduleArgs.kindOf(inner.toString());
            check(!(inner instanceof Warmup), kind, "warmup", steps, "is given twice");
            check(steps >= 1, kind, "warmup", steps, "must be >= 1 step (0 means no warmup)");
            check(start >= 0 && start <= 1, kind, "warmup_start", start, "must be in [0, 1] (a fraction of the first LR)");
        }

        @Override
        public double at(long step, long totalSteps) {
            checkStep(step, totalSteps);
            if (totalSteps <= steps) {
                throw new IllegalArgumentException(ScheduleArgs.kindOf(inner.toString()) + ": warmup=" + steps
                        + " is not shorter than the run (" + totalSteps + " steps); shorten the warmup");
            }
            long rest = totalSteps - steps;
            if (step >= steps) {
                return inner.at(step - steps, rest);
            }
            return inner.at(0, rest) * (start + (1 - start) * step / steps);
        }

        @Override
        public String toString() {
            String s = inner.toString();
            String head = s.endsWith(")") ? s.substring(0, s.length() - 1) + "," : s + "(";
            return head + "warmup=" + steps + (start == 0 ? "" : ",warmup_start=" + num(start)) + ")";
        }

        @Override
        public double peak() {
            return inner.peak();
        }

        @Override
        public Schedule scaled(double factor) {
            return new Warmup(inner.scaled(factor), steps, start);
        }
    }

    /**
     * The 1cycle policy (Smith and Topin, "Super-Convergence: Very Fast Training of Neural Networks
     * Using Large Learning Rates", 2018), as torch's OneCycleLR with anneal_strategy cos and
     * three_phase False, {@code total_steps = total}: cosine from {@code max/div} up to {@code max}
     * until step {@code pct * total - 1}, then cosine down to {@code max/div/final} at step
     * {@code total - 1} (and after). {@code onecycle(max=0.1,pct=0.3,div=25,final=10000)}
     */
    record OneCycle(double max, double pct, double div, double finalDiv) implements Schedule {
        public OneCycle {
            positive("onecycle", "max", max);
            check(pct > 0 && pct < 1, "onecycle", "pct", pct, "must be in (0, 1) (the fraction of the run spent rising)");
            check(div >= 1, "onecycle", "div", div, "must be >= 1 (the first LR is max/div)");
            check(finalDiv >= 1, "onecycle", "final", finalDiv, "must be >= 1 (the last LR is max/div/final)");
        }

        @Override
        public double at(long step, long totalSteps) {
            checkStep(step, totalSteps);
            double s = Math.min(step, totalSteps - 1);
            double initial = max / div;
            double peakStep = pct * totalSteps - 1;
            if (s <= peakStep && peakStep > 0) {
                return anneal(initial, max, s / peakStep);
            }
            // torch divides by zero when pct * total == 1; here the rise is then empty.
            return anneal(max, initial / finalDiv, (s - peakStep) / (totalSteps - 1 - peakStep));
        }

        private static double anneal(double from, double to, double fraction) {
            double cosOut = Math.cos(Math.PI * fraction) + 1;
            return to + (from - to) / 2.0 * cosOut;
        }

        @Override
        public String toString() {
            return "onecycle(max=" + num(max) + ",pct=" + num(pct) + ",div=" + num(div) + ",final=" + num(finalDiv) + ")";
        }

        @Override
        public double peak() {
            return max;
        }

        @Override
        public Schedule scaled(double factor) {
            return new OneCycle(max * factor, pct, div, finalDiv);
        }
    }

    /**
     * Cyclical learning rates (Smith, "Cyclical Learning Rates for Training Neural Networks", WACV
     * 2017), as torch's CyclicLR with {@code step_size_up = step_size_down = half}: a triangle wave
     * between {@code base} and {@code max} with period {@code 2 * half}, its height scaled by 1
     * (triangular), {@code 1/2^(cycle-1)} (triangular2) or {@code gamma^step} (exp_range). The
     * total number of steps is not used. {@code cyclic(base=0.001,max=0.1,half=2000,mode=triangular)}
     */
    record Cyclic(double base, double max, long half, Mode mode, double gamma) implements Schedule {
        /** How the height of the triangle changes from cycle to cycle. */
        public enum Mode {
            TRIANGULAR, TRIANGULAR2, EXP_RANGE;

            /** The spec word: triangular, triangular2, exp_range. */
            public String word() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        public Cyclic {
            positive("cyclic", "base", base);
            check(max >= base, "cyclic", "max", max, "must be >= base=" + num(base));
            check(half >= 1, "cyclic", "half", half, "must be >= 1 step");
            Objects.requireNonNull(mode, "mode");
            decay("cyclic", "gamma", gamma);
            check(mode == Mode.EXP_RANGE || gamma == 1, "cyclic", "gamma", gamma, "only applies to mode=exp_range");
        }

        @Override
        public double at(long step, long totalSteps) {
            checkStep(step, totalSteps);
            double size = 2.0 * half;
            double ratio = half / size;
            double cycle = Math.floor(1 + step / size);
            double x = 1.0 + step / size - cycle;
            double scale = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
            double height = (max - base) * scale;
            double factor = switch (mode) {
                case TRIANGULAR -> 1.0;
                case TRIANGULAR2 -> 1 / Math.pow(2.0, cycle - 1);
                case EXP_RANGE -> Math.pow(gamma, step);
            };
            return base + height * factor;
        }

        @Override
        public String toString() {
            return "cyclic(base=" + num(base) + ",max=" + num(max) + ",half=" + half + ",mode=" + mode.word()
                    + (mode == Mode.EXP_RANGE ? ",gamma=" + num(gamma) : "") + ")";
        }

        @Override
        public double peak() {
            return max;
        }

        @Override
        public Schedule scaled(double factor) {
            return new Cyclic(base * factor, max * factor, half, mode, gamma);
        }
    }
}
