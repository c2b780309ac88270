package dev.tuneup.config;

import dev.tuneup.spec.Spelling;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** Collects every problem of a config before failing, so one run of the command shows them all. */
final class Problems {
    private final List<String> found = new ArrayList<>();

    void check(boolean ok, String key, String what) {
        if (!ok) {
            found.add(key + " " + what);
        }
    }

    /** {@code value} as one of {@code choices} (case-insensitive), or a problem with a did-you-mean and null. */
    <E extends Enum<E>> E choice(String key, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        found.add(key + " '" + value + "' is not one of " + String.join(", ", names) + didYouMean(names, value));
        return null;
    }

    /** What {@code make} builds, or null with its IllegalArgumentException's message as the problem of {@code key}. */
    <T> T parse(String key, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            found.add(key + ": " + e.getMessage());
            return null;
        }
    }

    static String didYouMean(Collection<String> names, String value) {
        String guess = Spelling.closest(names, value.toLowerCase(Locale.ROOT));
        return guess.isEmpty() || Spelling.distance(guess, value.toLowerCase(Locale.ROOT)) > Math.max(2, value.length() / 2)
                ? "" : " (did you mean " + guess + "?)";
    }

    /** How many problems were found so far. */
    int count() {
        return found.size();
    }

    /** Throws a {@link ConfigException} listing every problem, if any. */
    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ConfigException(found);
        }
    }
}
