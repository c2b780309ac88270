package dev.tuneup.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tuneup.TuneupException;
import dev.tuneup.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hyperparameters of a study, in order: a YAML mapping from run-config keys (as for
 * {@code --set}) to a distribution.
 *
 * <pre>
 * optimizer.name:        {categorical: [sgd, adamw]}
 * optimizer.momentum:    {uniform: [0.8, 0.99], when: {optimizer.name: sgd}}
 * optimizer.weight_decay: {log_uniform: [1.0e-6, 1.0e-2]}
 * schedule:              {log_uniform: [1.0e-3, 0.3], template: "cosine(lr={})"}
 * model.conv_widths:     {categorical: [[16, 32], [32, 64]]}
 * training.batch_size:   {int: [32, 256], log: true}
 * </pre>
 *
 * One of {@code log_uniform}, {@code uniform}, {@code int} (bounds included) or {@code categorical}
 * per key. {@code template} puts a sampled number into a string-valued key at {@code {}}.
 * {@code when} makes a key active only when earlier keys took the given value (or one of a list of
 * values); an inactive key keeps the base config's value. Every key and every bound or choice is
 * applied to the base config through {@link ConfigLoader} when the space is read, so an unknown key
 * or a wrong type fails at once, with the config's own did-you-mean message.
 */
public record SearchSpace(List<Param> params) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KINDS = List.of("log_uniform", "uniform", "int", "categorical");
    private static final List<String> FIELDS = List.of("log_uniform", "uniform", "int", "categorical", "log", "when",
            "template");

    /** One hyperparameter: a config key, its distribution, an optional string template and condition. */
    public record Param(String key, Distribution distribution, String template, Map<String, List<Object>> when) {
        public Param {
            when = Map.copyOf(when);
        }

        /** Whether the condition holds for the values sampled so far (keys in space order). */
        public boolean active(Map<String, Object> sampled) {
            for (Map.Entry<String, List<Object>> c : when.entrySet()) {
                if (!sampled.containsKey(c.getKey()) || !c.getValue().contains(sampled.get(c.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        /** The {@code --set} override for value {@code v}: {@code key=<YAML value>}. */
        public String override(Object v) {
            if (template != null) {
                return key + "=" + template.replace("{}", String.valueOf(v));
            }
            return key + "=" + yaml(v);
        }
    }

    /** A value as YAML for an override: JSON is YAML (quoted strings, [lists], numbers). */
    static String yaml(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public SearchSpace {
        params = List.copyOf(params);
    }

    /** Reads and checks a space file against the base config (a YAML path, or null for the defaults). */
    public static SearchSpace load(Path file, Path baseConfig, List<String> baseOverrides) {
        try {
            return parse(YAML.readTree(file.toFile()), file.toString(), baseConfig, baseOverrides);
        } catch (IOException e) {
            throw new TuneupException("cannot read search space " + file + ": " + e.getMessage(),
                    "check that the file exists and is valid YAML (see examples/space-fashion-mnist.yaml)");
        }
    }

    /** Parses a space from YAML text ({@code source} names it in errors). */
    public static SearchSpace parse(String yaml, String source, Path baseConfig, List<String> baseOverrides) {
        try {
            return parse(YAML.readTree(yaml), source, baseConfig, baseOverrides);
        } catch (IOException e) {
            throw new TuneupException("search space " + source + " is not valid YAML: " + e.getMessage(), "fix the YAML");
        }
    }

    private static SearchSpace parse(JsonNode root, String source, Path baseConfig, List<String> baseOverrides) {
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new TuneupException("search space " + source + " is not a mapping of config keys to distributions",
                    "write e.g. optimizer.weight_decay: {log_uniform: [1.0e-6, 1.0e-2]}");
        }
        List<Param> params = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            Param p = param(e.getKey(), e.getValue(), params);
            check(p, baseConfig, baseOverrides);
            params.add(p);
        }
        return new SearchSpace(params);
    }

    /** The overrides for one trial's values (inactive keys are absent from {@code values}). */
    public List<String> overrides(Map<String, Object> values) {
        List<String> out = new ArrayList<>();
        for (Param p : params) {
            if (values.containsKey(p.key())) {
                out.add(p.override(values.get(p.key())));
            }
        }
        return out;
    }

    public Param param(String key) {
        return params.stream().filter(p -> p.key().equals(key)).findFirst().orElse(null);
    }

    private static Param param(String key, JsonNode spec, List<Param> earlier) {
        if (key.equals("training.epochs")) {
            throw new TuneupException("search space key training.epochs is the trials' resource, not a hyperparameter",
                    "remove it and give the per-trial epochs with tuneup tune --epochs N");
        }
        if (!spec.isObject()) {
            throw bad(key, "is '" + spec + "', not a mapping");
        }
        List<String> kinds = new ArrayList<>();
        spec.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw bad(key, "has an unknown field '" + f + "' (known: " + String.join(", ", FIELDS) + ")");
            }
            if (KINDS.contains(f)) {
                kinds.add(f);
            }
        });
        if (kinds.size() != 1) {
            throw bad(key, "needs exactly one of " + String.join(", ", KINDS) + ", has " + kinds);
        }
        String kind = kinds.get(0);
        boolean log = spec.path("log").asBoolean(false);
        Distribution d = kind.equals("categorical") ? categorical(key, spec.get(kind)) : numeric(key, kind, spec.get(kind), log);
        String template = spec.has("template") ? spec.get("template").asText() : null;
        if (template != null && (!template.contains("{}") || d instanceof Distribution.Categorical)) {
            throw bad(key, "has template '" + template + "': a template needs a numeric distribution and a {} for the value");
        }
        return new Param(key, d, template, when(key, spec.get("when"), earlier));
    }

    private static Distribution numeric(String key, String kind, JsonNode bounds, boolean log) {
        if (bounds == null || !bounds.isArray() || bounds.size() != 2 || !bounds.get(0).isNumber()
                || !bounds.get(1).isNumber()) {
            throw bad(key, kind + " needs two numbers [low, high], not " + bounds);
        }
        double lo = bounds.get(0).asDouble();
        double hi = bounds.get(1).asDouble();
        if (!(lo < hi)) {
            throw bad(key, kind + " has low " + bounds.get(0) + " >= high " + bounds.get(1));
        }
        return switch (kind) {
            case "uniform" -> new Distribution.Uniform(lo, hi);
            case "log_uniform" -> {
                if (lo <= 0) {
                    throw bad(key, "log_uniform needs low > 0, has " + bounds.get(0));
                }
                yield new Distribution.LogUniform(lo, hi);
            }
            default -> {
                if (!bounds.get(0).canConvertToExactIntegral() || !bounds.get(1).canConvertToExactIntegral()
                        || log && lo < 1) {
                    throw bad(key, "int needs integer bounds" + (log ? " >= 1 (log: true)" : "") + ", not " + bounds);
                }
                yield new Distribution.IntRange((int) lo, (int) hi, log);
            }
        };
    }

    private static Distribution categorical(String key, JsonNode choices) {
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw bad(key, "categorical needs a non-empty list of choices, not " + choices);
        }
        List<Object> values = new ArrayList<>();
        for (JsonNode c : choices) {
            Object v = JSON.convertValue(c, Object.class);
            if (values.contains(v)) {
                throw bad(key, "lists the choice " + c + " twice");
            }
            values.add(v);
        }
        return new Distribution.Categorical(values);
    }

    private static Map<String, List<Object>> when(String key, JsonNode when, List<Param> earlier) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        if (when == null) {
            return out;
        }
        if (!when.isObject() || when.isEmpty()) {
            throw bad(key, "has when: " + when + ", not a mapping like {optimizer.name: sgd}");
        }
        for (Map.Entry<String, JsonNode> c : when.properties()) {
            Param on = earlier.stream().filter(p -> p.key().equals(c.getKey())).findFirst().orElseThrow(() -> bad(key,
                    "depends on " + c.getKey() + ", which is not a categorical key listed before it in the space"));
            if (!(on.distribution() instanceof Distribution.Categorical cat)) {
                throw bad(key, "depends on " + c.getKey() + ", which is not categorical");
            }
            List<Object> values = new ArrayList<>();
            List<JsonNode> given = new ArrayList<>();
            if (c.getValue().isArray()) {
                c.getValue().forEach(given::add);
            } else {
                given.add(c.getValue());
            }
            for (JsonNode v : given) {
                Object value = JSON.convertValue(v, Object.class);
                if (cat.indexOf(value) < 0) {
                    throw bad(key, "depends on " + c.getKey() + " = " + v + ", which is not one of its choices "
                            + cat.choices());
                }
                values.add(value);
            }
            out.put(c.getKey(), values);
        }
        return out;
    }

    /** Applies each bound or choice (with the values its condition needs) to the base config. */
    private static void check(Param p, Path baseConfig, List<String> baseOverrides) {
        List<Object> probes;
        if (p.distribution() instanceof Distribution.Categorical c) {
            probes = c.choices();
        } else {
            Distribution.Numeric n = (Distribution.Numeric) p.distribution();
            probes = List.of(n.fromInternal(n.internalLow()), n.fromInternal(n.internalHigh()));
        }
        for (Object v : probes) {
            List<String> sets = new ArrayList<>(baseOverrides);
            p.when().forEach((k, vs) -> sets.add(k + "=" + yaml(vs.get(0))));
            sets.add(p.override(v));
            try {
                ConfigLoader.load(baseConfig, sets);
            } catch (TuneupException e) {
                throw new TuneupException("search space key " + p.key() + " with value " + v + ": " + e.getMessage(),
                        e.fix());
            }
        }
    }

    private static TuneupException bad(String key, String what) {
        return new TuneupException(String.format(Locale.ROOT, "search space key %s %s", key, what),
                "see docs/tune.md for the space format, e.g. optimizer.weight_decay: {log_uniform: [1.0e-6, 1.0e-2]}");
    }
}
