package dev.tuneup.spec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The arguments of one {@code name(arg, key=value, (a,b), ...)} of a compact spec language, bound to
 * the parameters of that name by position or by name and then read off one by one; plus the
 * splitting that finds the name, the body and the top-level items, and the canonical printing of
 * numbers. Values are numbers (written as Java reads a double: {@code 1e3} is a whole number), words
 * or tuples {@code (a,b)}; keys and words are case-insensitive.
 *
 * <p>Every error is an {@link IllegalArgumentException} whose message starts with the owner (the
 * name being parsed, {@code crop: ...}, {@code cosine: ...}) and names the argument, so a language
 * reports its errors in one voice. A reader removes the argument it reads, so {@link #done()} can
 * report what was given but never read. One instance per parse; not thread-safe.
 */
public final class SpecArgs {
    /**
     * What one name accepts: {@code params} in order, the first {@code positional} of them also by
     * position; {@code extras}, taken by name only and handed to the caller (see {@link #bind(String,
     * String, Signature, BiConsumer)}); {@code usage}, what follows {@code "too many arguments; "}.
     */
    public record Signature(List<String> params, int positional, List<String> extras, String usage) {
        public Signature {
            params = List.copyOf(params);
            extras = List.copyOf(extras);
            Objects.requireNonNull(usage, "usage");
            if (positional < 0 || positional > params.size()) {
                throw new IllegalArgumentException("positional=" + positional + " of " + params.size() + " params");
            }
        }

        /** No extras; the usage says which parameters go by position and which by name only. */
        public static Signature of(List<String> params, int positional) {
            String usage = "by position it takes " + String.join(", ", params.subList(0, positional))
                    + (positional == params.size() ? ""
                    : "; by name also " + String.join(", ", params.subList(positional, params.size())));
            return new Signature(params, positional, List.of(), usage);
        }
    }

    private final String owner;
    private final Map<String, String> values = new LinkedHashMap<>();

    private SpecArgs(String owner) {
        this.owner = owner;
    }

    /** The lower-cased name of {@code text}: {@code cosine} for {@code Cosine(lr=0.1)}. */
    public static String nameOf(String text) {
        int open = text.indexOf('(');
        return lower((open < 0 ? text : text.substring(0, open)).strip());
    }

    /**
     * What stands between the first {@code (} of {@code text} and its last character, which must be
     * {@code )}; empty when there is no {@code (}. Otherwise throws {@code 'text': missing}.
     */
    public static String bodyOf(String text, String missing) {
        int open = text.indexOf('(');
        if (open < 0) {
            return "";
        }
        if (!text.endsWith(")")) {
            throw new IllegalArgumentException("'" + text + "': " + missing);
        }
        return text.substring(open + 1, text.length() - 1);
    }

    /** {@code text} split at each {@code separator} outside parentheses; never empty. */
    public static List<String> split(String text, char separator) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            if (ch == separator && depth == 0) {
                items.add(text.substring(start, i));
                start = i + 1;
            }
        }
        items.add(text.substring(start));
        return items;
    }

    /** {@link #bind(String, String, Signature, BiConsumer)} for a signature without extras. */
    public static SpecArgs bind(String owner, String body, Signature signature) {
        return bind(owner, body, signature, (key, value) -> {
            throw new IllegalStateException("no consumer for the extra argument '" + key + "'");
        });
    }

    /**
     * Binds the comma-separated items of {@code body}: {@code key=value} by name (the key
     * lower-cased), any other item (a tuple {@code (a,b)} included) by position, never after a named
     * one. An extra goes to {@code extra} at once, repeats unchecked; any other key must be a
     * parameter, given once; errors list the parameters, then the extras.
     */
    public static SpecArgs bind(String owner, String body, Signature signature, BiConsumer<String, String> extra) {
        SpecArgs a = new SpecArgs(owner);
        if (body.isBlank()) {
            return a;
        }
        List<String> items = split(body, ',');
        boolean named = false;
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i).strip();
            int eq = item.indexOf('=');
            String key;
            String value;
            if (eq > 0 && !item.startsWith("(")) {
                key = lower(item.substring(0, eq).strip());
                value = item.substring(eq + 1).strip();
                named = true;
            } else {
                if (named) {
                    throw a.fail("positional argument '" + item + "' after a named one");
                }
                if (i >= signature.positional()) {
                    throw a.fail("too many arguments; " + signature.usage());
                }
                key = signature.params().get(i);
                value = item;
            }
            if (signature.extras().contains(key)) {
                extra.accept(key, value);
            } else if (!signature.params().contains(key)) {
                List<String> allowed = new ArrayList<>(signature.params());
                allowed.addAll(signature.extras());
                throw a.fail("unknown argument '" + key + "'; allowed: " + String.join(", ", allowed));
            } else if (a.values.put(key, value) != null) {
                throw a.fail("argument '" + key + "' given twice");
            }
        }
        return a;
    }

    /** The name whose arguments these are. */
    public String owner() {
        return owner;
    }

    /** {@code owner: key what}, or {@code owner: key=...} when {@code what} starts with {@code =}. */
    public IllegalArgumentException error(String key, String what) {
        return fail(key + (what.startsWith("=") ? "" : " ") + what);
    }

    /** Throws {@code owner: arguments [k, ...] were not used} if any argument was not read. */
    public void done() {
        if (!values.isEmpty()) {
            throw fail("arguments " + values.keySet() + " were not used");
        }
    }

    /** Removes and returns the value of {@code key} as written, or null if it was not given. */
    public String take(String key) {
        return values.remove(key);
    }

    /** The value of {@code key} lower-cased, unchecked, or {@code def}. */
    public String raw(String key, String def) {
        String v = take(key);
        return v == null ? def : lower(v);
    }

    /** A number; {@code def == null} makes it required, {@code what} says what it is (may be empty). */
    public double number(String key, Double def, String what) {
        String v = take(key);
        if (v == null) {
            if (def == null) {
                throw error(key, "is required" + (what.isEmpty() ? "" : " (" + what + ")"));
            }
            return def;
        }
        return parseNumber(owner, key, v);
    }

    /** A number in {@code [min, max]} ({@code owner: key=v is outside [min, max]}); a default is not checked. */
    public double number(String key, Double def, double min, double max) {
        String v = values.get(key);
        double d = number(key, def, "");
        if (v != null && (d < min || d > max)) {
            throw error(key, "=" + v + " is outside [" + num(min) + ", " + num(max) + "]");
        }
        return d;
    }

    /** A whole number in {@code [min, max]}: the range is checked first, then {@code must be a whole number, got x}. */
    public int integer(String key, Integer def, int min, int max) {
        double d = number(key, def == null ? null : def.doubleValue(), min, max);
        if (d != Math.rint(d)) {
            throw error(key, "must be a whole number, got " + num(d));
        }
        return (int) d;
    }

    /** A whole number, {@code 1000} or {@code 1e3}, else {@code owner: key=x must be a whole number}. */
    public long whole(String key, Long def, String what) {
        return toWhole(key, number(key, def == null ? null : def.doubleValue(), what));
    }

    /** A required tuple of whole numbers, {@code (3000,6000)}; a single number is a tuple of one. */
    public List<Long> wholes(String key, String what) {
        String v = take(key);
        if (v == null) {
            throw error(key, "is required (" + what + ")");
        }
        return Arrays.stream(parts(v)).map(part -> toWhole(key, parseNumber(owner, key, part.strip()))).toList();
    }

    /** The numbers of {@code value}, a tuple {@code (a,b,...)} or a single number, read as {@code key}. */
    public double[] tuple(String key, String value) {
        return Arrays.stream(parts(value)).mapToDouble(part -> parseNumber(owner, key, part.strip())).toArray();
    }

    /**
     * A tuple {@code (low,high)} within {@code [min, max]}, low <= high where {@code ordered}; a
     * single number x means (x, x); absent, {@code (lo, hi)}.
     */
    public double[] pair(String key, double lo, double hi, double min, double max, boolean ordered) {
        String v = take(key);
        if (v == null) {
            return new double[] {lo, hi};
        }
        double[] t = tuple(key, v);
        double[] r = t.length == 1 ? new double[] {t[0], t[0]} : t;
        if (r.length != 2 || ordered && r[0] > r[1] || r[0] < min || r[1] > max) {
            throw error(key, "=" + v + " must be (low,high) within [" + num(min) + ", " + num(max) + "]");
        }
        return r;
    }

    /** One of the constants of {@code type} by its {@link #wordOf word}, else {@code owner: key 'v' is not one of [...]}. */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E def) {
        E[] all = type.getEnumConstants();
        List<String> allowed = Arrays.stream(all).map(SpecArgs::wordOf).toList();
        String w = pick(key, allowed, "'");
        return w == null ? def : all[allowed.indexOf(w)];
    }

    /** One of {@code allowed} (lower case), else {@code owner: key='v' is not one of [...]}; absent, {@code def}. */
    public String word(String key, String def, List<String> allowed) {
        String w = pick(key, allowed, "='");
        return w == null ? def : w;
    }

    private String pick(String key, List<String> allowed, String quote) {
        String v = take(key);
        if (v == null) {
            return null;
        }
        String w = lower(v);
        if (!allowed.contains(w)) {
            throw error(key, quote + v + "' is not one of " + allowed);
        }
        return w;
    }

    private long toWhole(String key, double d) {
        if (d != Math.rint(d) || Math.abs(d) > 1e15) {
            throw error(key, "=" + num(d) + " must be a whole number");
        }
        return (long) d;
    }

    private IllegalArgumentException fail(String what) {
        return new IllegalArgumentException(owner + ": " + what);
    }

    private static String[] parts(String value) {
        String s = value.strip();
        if (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1);
        }
        return s.split(",");
    }

    /** A finite number, else {@code owner: key='v' is not a number}. */
    public static double parseNumber(String owner, String key, String v) {
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(owner + ": " + key + "='" + v + "' is not a number");
    }

    /** A number in its shortest exact form: 4, 0.25, 0.0001, 1.3333333333333333 (NaN, Infinity as Java prints them). */
    public static String num(double d) {
        if (!Double.isFinite(d)) {
            return Double.toString(d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** The spec word of an enum constant: its name lower-cased. */
    public static String wordOf(Enum<?> e) {
        return lower(e.name());
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
