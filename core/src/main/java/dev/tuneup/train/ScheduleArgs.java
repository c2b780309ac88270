package dev.tuneup.train;

import static dev.tuneup.spec.SpecArgs.num;

import dev.tuneup.spec.SpecArgs;

/**
 * What the schedule spec language adds to {@link SpecArgs}: binding one {@code kind(arg, key=value,
 * ...)}, the counts it reads, and the checks the schedule records share, all worded
 * {@code kind: key=value rule}. Not API.
 */
final class ScheduleArgs {
    private ScheduleArgs() {
    }

    /** The lower-cased kind name of {@code text} ({@code cosine} for {@code cosine(lr=0.1)}). */
    static String kindOf(String text) {
        return SpecArgs.nameOf(text);
    }

    /** Binds the body of {@code text} to {@code signature}, the owner being its kind. */
    static SpecArgs bind(String text, SpecArgs.Signature signature) {
        return SpecArgs.bind(kindOf(text), SpecArgs.bodyOf(text, "missing ')' at the end"), signature);
    }

    /** A count in {@code 0..max}. */
    static int count(SpecArgs a, String key, int def, int max) {
        long n = a.whole(key, (long) def, "");
        check(n >= 0 && n <= max, a.owner(), key, n, "must be in 0.." + max);
        return (int) n;
    }

    /** Throws {@code kind: key=value rule} unless {@code ok}. */
    static void check(boolean ok, String kind, String key, double value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(kind + ": " + key + "=" + num(value) + " " + rule);
        }
    }

    /** Throws {@code kind: key=value must be > 0} unless {@code value > 0}. */
    static void positive(String kind, String key, double value) {
        check(value > 0, kind, key, value, "must be > 0");
    }

    /** A decay factor per step or milestone: in (0, 1]. */
    static void decay(String kind, String key, double value) {
        check(value > 0 && value <= 1, kind, key, value, "must be in (0, 1]");
    }

    /** The common precondition of {@link Schedule#at}. */
    static void checkStep(long step, long totalSteps) {
        if (step < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("schedule: step=" + step + " of totalSteps=" + totalSteps
                    + "; need step >= 0 and totalSteps >= 1");
        }
    }
}
