package dev.tuneup.track;

import dev.tuneup.TuneupException;
import dev.tuneup.spec.Spelling;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code --filter} of {@code tuneup runs list}: {@code key=value}, {@code key!=value}, {@code key>number}
 * or {@code key<number}. The key is a record field ({@code kind}, {@code status}, {@code parent},
 * {@code id}), a metric ({@code val_acc}) or a config key ({@code training.lr}); text compares exactly,
 * except that {@code id} and {@code parent} also match a part of the id ({@code id=repair}).
 */
public record RunFilter(String key, String op, String value) {
    private static final Pattern FORM = Pattern.compile("([A-Za-z0-9_.\\-]+)\\s*(!=|=|>|<)\\s*(.*)");
    private static final List<String> FIELDS = List.of("id", "kind", "status", "parent");

    /** Parses {@code text}; a malformed filter is an error that shows the forms. */
    public static RunFilter parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new TuneupException("filter '" + text + "' is not key=value", "write key=value, key!=value,"
                    + " key>number or key<number, e.g. kind=train, status=finished, val_acc>0.9, training.lr=0.1");
        }
        RunFilter f = new RunFilter(m.group(1), m.group(2), m.group(3).strip());
        if ((f.op.equals(">") || f.op.equals("<")) && !isNumber(f.value)) {
            throw new TuneupException("filter '" + text + "' compares with " + f.value + ", not a number",
                    "use a number after > or <, e.g. val_acc>0.9");
        }
        return f;
    }

    /** Fails, naming the closest key, when no run in {@code runs} has this filter's key. */
    public void check(List<RunRecord> runs) {
        Set<String> keys = new TreeSet<>(FIELDS);
        runs.forEach(r -> {
            keys.addAll(r.metrics().keySet());
            keys.addAll(r.config().keySet());
        });
        if (!runs.isEmpty() && !keys.contains(key)) {
            throw new TuneupException("no run has the key '" + key + "'", "did you mean " + Spelling.closest(keys, key)
                    + "? Keys: run fields " + FIELDS + ", metrics (val_acc, test_accuracy, ...) and config keys"
                    + " (training.lr, ...)");
        }
    }

    public boolean test(RunRecord r) {
        String actual = switch (key) {
            case "id" -> r.id();
            case "kind" -> r.kind().id();
            case "status" -> r.status().id();
            case "parent" -> r.parent();
            default -> r.metrics().containsKey(key) ? format(r.metrics().get(key)) : r.config().get(key);
        };
        if (actual == null) {
            return op.equals("!=");
        }
        boolean partial = key.equals("id") || key.equals("parent");
        return switch (op) {
            case "=" -> equal(actual, partial);
            case "!=" -> !equal(actual, partial);
            case ">" -> isNumber(actual) && Double.parseDouble(actual) > Double.parseDouble(value);
            default -> isNumber(actual) && Double.parseDouble(actual) < Double.parseDouble(value);
        };
    }

    private boolean equal(String actual, boolean partial) {
        if (partial ? actual.contains(value) : actual.equals(value)) {
            return true;
        }
        return isNumber(actual) && isNumber(value) && Double.parseDouble(actual) == Double.parseDouble(value);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s.toLowerCase(Locale.ROOT));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
