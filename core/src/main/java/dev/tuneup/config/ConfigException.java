package dev.tuneup.config;

import dev.tuneup.TuneupException;
import java.util.List;

/**
 * A run config that cannot run: every problem found, each naming its key, the value and the fix.
 * Raised before any data is read; the CLI maps it to exit code 2 (a usage error).
 */
public final class ConfigException extends TuneupException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(message(problems), fix(problems));
        this.problems = List.copyOf(problems);
    }

    /** One problem with its own fix (a key that does not exist, a file that cannot be read). */
    public static ConfigException of(String message, String fix) {
        return new ConfigException(List.of(message), fix);
    }

    private ConfigException(List<String> problems, String fix) {
        super(problems.get(0), fix);
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, {@code key: what is wrong (did you mean ...?)}. */
    public List<String> problems() {
        return problems;
    }

    /** Names the key when there is one problem: {@code change k in the YAML or with --set k=...}. */
    private static String fix(List<String> problems) {
        String key = problems.get(0).split("[ :]", 2)[0];
        return problems.size() == 1 ? "change " + key + " in the YAML or with --set " + key + "=...; docs/config.md"
                + " lists every key" : "change the keys named above in the YAML or with --set key=value; docs/config.md"
                + " lists every key";
    }

    private static String message(List<String> problems) {
        if (problems.size() == 1) {
            return "config " + problems.get(0);
        }
        return "config has " + problems.size() + " problems:\n  " + String.join("\n  ", problems);
    }
}
