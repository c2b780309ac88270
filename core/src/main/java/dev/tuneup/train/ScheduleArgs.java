package dev.tuneup.train;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The arguments of one {@code kind(arg, key=value, ...)} in the schedule spec language, bound to
 * the kind's parameter names by name or position and read off one by one; plus the checks and the
 * number printing the schedule records share. Not API.
 */
final class ScheduleArgs {
    final String kind;
    private final Map<String, String> values = new LinkedHashMap<>();

    private ScheduleArgs(String kind) {
        this.kind = kind;
    }

    /** The lower-cased kind name of {@code text} ({@code cosine} for {@code cosine(lr=0.1)}). */
    static String kindOf(String text) {
        int open = text.indexOf('(');
        return (open < 0 ? text : text.substring(0, open)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Splits the body of {@code text} and binds it to {@code params}: the first {@code positional}
     * of them may be given by position, the rest only by name.
     */
    static ScheduleArgs bind(String text, List<String> params, int positional) {
        String kind = kindOf(text);
        ScheduleArgs a = new ScheduleArgs(kind);
        int open = text.indexOf('(');
        if (open < 0) {
            return a;
        }
        if (!text.endsWith(")")) {
            throw new IllegalArgumentException("'" + text + "': missing ')' at the end");
        }
        String body = text.substring(open + 1, text.length() - 1);
        if (body.isBlank()) {
            return a;
        }
        boolean named = false;
        List<String> items = split(body);
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i).strip();
            int eq = item.indexOf('=');
            String key;
            String value;
            if (eq > 0 && !item.startsWith("(")) {
                key = item.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                value = item.substring(eq + 1).strip();
                named = true;
            } else {
                if (named) {
                    throw new IllegalArgumentException(kind + ": positional argument '" + item + "' after a named one");
                }
                if (i >= positional) {
                    throw new IllegalArgumentException(kind + ": too many arguments; by position it takes "
                            + String.join(", ", params.subList(0, positional)) + (positional == params.size() ? ""
                            : "; by name also " + String.join(", ", params.subList(positional, params.size()))));
                }
                key = params.get(i);
                value = item;
            }
            if (!params.contains(key)) {
                throw new IllegalArgumentException(kind + ": unknown argument '" + key + "'; allowed: "
                        + String.join(", ", params));
            }
            if (a.values.put(key, value) != null) {
                throw new IllegalArgumentException(kind + ": argument '" + key + "' given twice");
            }
        }
        return a;
    }

    private static List<String> split(String body) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            if (ch == ',' && depth == 0) {
                items.add(body.substring(start, i));
                start = i + 1;
            }
        }
        items.add(body.substring(start));
        return items;
    }

    /** A number; {@code def == null} makes it required, {@code what} says what it is. */
    double number(String key, Double def, String what) {
        String v = values.remove(key);
        if (v == null) {
            if (def == null) {
                throw new IllegalArgumentException(kind + ": " + key + " is required (" + what + ")");
            }
            return def;
        }
        return parse(key, v);
    }

    /** A whole number (written {@code 1000} or {@code 1e3}). */
    long whole(String key, Long def, String what) {
        double d = number(key, def == null ? null : def.doubleValue(), what);
        return toWhole(key, d);
    }

    /** A count in {@code 0..max}. */
    int count(String key, int def, int max) {
        long n = whole(key, (long) def, "");
        check(n >= 0 && n <= max, kind, key, n, "must be in 0.." + max);
        return (int) n;
    }

    /** A tuple of whole numbers, {@code (3000,6000)}; a single number is a tuple of one. */
    List<Long> wholes(String key, String what) {
        String v = values.remove(key);
        if (v == null) {
            throw new IllegalArgumentException(kind + ": " + key + " is required (" + what + ")");
        }
        String s = v.strip();
        if (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1);
        }
        List<Long> out = new ArrayList<>();
        for (String part : s.split(",")) {
            out.add(toWhole(key, parse(key, part.strip())));
        }
        return out;
    }

    /** One of {@code allowed} (case-insensitive), or {@code def}. */
    String word(String key, String def, List<String> allowed) {
        String v = values.remove(key);
        if (v == null) {
            return def;
        }
        String w = v.toLowerCase(Locale.ROOT);
        if (!allowed.contains(w)) {
            throw new IllegalArgumentException(kind + ": " + key + "='" + v + "' is not one of " + allowed);
        }
        return w;
    }

    private double parse(String key, String v) {
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(kind + ": " + key + "='" + v + "' is not a number");
    }

    private long toWhole(String key, double d) {
        if (d != Math.rint(d) || Math.abs(d) > 1e15) {
            throw new IllegalArgumentException(kind + ": " + key + "=" + num(d) + " must be a whole number");
        }
        return (long) d;
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

    /** A number in its shortest exact form: 4, 0.25, 0.0001. */
    static String num(double d) {
        if (!Double.isFinite(d)) {
            return Double.toString(d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
