package dev.tuneup.config;

import dev.tuneup.spec.Spelling;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Builds a {@link RunConfig}: built-in defaults, then the user's YAML, then {@code key=value}
 * overrides (values parsed as YAML, so {@code 0.1}, {@code true} and {@code [32,64]} work). A key
 * that does not exist fails naming it, with the closest known key; a wrong type fails naming the key
 * and the value.
 */
public final class ConfigLoader {
    /** A run config is a few kilobytes; anything near this is not one, and is refused before it is parsed. */
    public static final long MAX_CONFIG_BYTES = 1 << 20;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);

    private ConfigLoader() {
    }

    public static RunConfig load(Path yaml, List<String> overrides) {
        return load(yaml, UnaryOperator.identity(), overrides);
    }

    /**
     * Defaults, then the YAML, then {@code typed} (a command's own options as a typed copy), then the
     * {@code key=value} overrides; checked with {@link RunConfig#resolve()} before it is returned.
     */
    public static RunConfig load(Path yaml, UnaryOperator<RunConfig> typed, List<String> overrides) {
        ObjectNode tree = defaults();
        if (yaml != null) {
            JsonNode user;
            try {
                long size = Files.size(yaml);
                if (size > MAX_CONFIG_BYTES) {
                    throw ConfigException.of("config " + yaml + " is " + size + " bytes, more than a config can be ("
                            + MAX_CONFIG_BYTES + ")", "pass the run config YAML (a few kB; see examples/), not another file");
                }
                user = YAML.readTree(yaml.toFile());
            } catch (IOException e) {
                throw ConfigException.of("cannot read config " + yaml + ": " + e.getMessage(),
                        "check that the file exists and is valid YAML");
            }
            if (user != null && !user.isNull() && !user.isMissingNode()) {
                if (!user.isObject()) {
                    throw ConfigException.of("config " + yaml + " is not a mapping of sections", "see examples/");
                }
                merge(tree, (ObjectNode) user, "");
            }
        }
        tree = YAML.valueToTree(typed.apply(bind(tree)));
        for (String o : overrides) {
            set(tree, o);
        }
        RunConfig c = bind(tree);
        c.resolve(); // every problem now, before any file is read
        return c;
    }

    /** The resolved config as YAML (what a run folder keeps). */
    public static String toYaml(RunConfig c) {
        try {
            ObjectNode tree = YAML.valueToTree(c);
            return YAML.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("defaults.yaml missing from the jar", e);
        }
    }

    /** Deep-merges {@code user} into {@code base}; a key {@code base} lacks is an error naming it. */
    private static void merge(ObjectNode base, ObjectNode user, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> it = user.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode known = base.get(e.getKey());
            if (known == null) {
                throw unknown(key, base, prefix);
            }
            noNull(key, e.getValue(), known);
            if (known.isObject()) {
                if (!e.getValue().isObject()) {
                    throw ConfigException.of("config " + key + " must be a section (a mapping), not '" + e.getValue() + "'",
                            "write it as " + key + ": {...} with the keys in docs/config.md");
                }
                merge((ObjectNode) known, (ObjectNode) e.getValue(), key + ".");
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void set(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw ConfigException.of("override '" + override + "' is not key=value", "write e.g. --set training.epochs=5");
        }
        String[] path = override.substring(0, eq).strip().split("\\.");
        JsonNode value;
        try {
            value = YAML.readTree(override.substring(eq + 1));
        } catch (IOException e) {
            throw ConfigException.of("override '" + override + "' has a value that is not YAML", "quote it");
        }
        ObjectNode node = tree;
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode next = node.get(path[i]);
            if (next == null || !next.isObject()) {
                throw unknown(prefix + path[i], node, prefix.toString());
            }
            prefix.append(path[i]).append('.');
            node = (ObjectNode) next;
        }
        String last = path[path.length - 1];
        if (!node.has(last)) {
            throw unknown(prefix + last, node, prefix.toString());
        }
        noNull(prefix + last, value, node.get(last));
        node.set(last, value == null || value.isMissingNode() ? YAML.getNodeFactory().textNode("") : value);
    }

    /** A key given with no value (YAML null: {@code key:} or {@code key: ~}) would reach the run as null. */
    private static void noNull(String key, JsonNode value, JsonNode known) {
        if (value != null && value.isNull()) {
            throw ConfigException.of("config " + key + " has no value", "give it one (the default is "
                    + (known.isObject() ? "a section" : "'" + known.asText() + "'") + ") or delete the line");
        }
    }

    private static RunConfig bind(ObjectNode tree) {
        try {
            return YAML.treeToValue(tree, RunConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw ConfigException.of("config key " + path(e) + " is unknown", "known: " + e.getKnownPropertyIds());
        } catch (JsonMappingException e) {
            throw ConfigException.of("config " + path(e) + " has the wrong type: " + e.getOriginalMessage(),
                    "see docs/config.md for each key's type");
        } catch (IOException e) {
            throw ConfigException.of("config cannot be read: " + e.getMessage(), "see docs/config.md");
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static ConfigException unknown(String key, JsonNode siblings, String prefix) {
        List<String> names = new ArrayList<>();
        siblings.fieldNames().forEachRemaining(n -> names.add(prefix + n));
        String guess = Spelling.closest(names, key);
        return ConfigException.of("config key " + key + " is unknown" + (guess.isEmpty() || Spelling.distance(guess, key) > 4 ? ""
                : "; did you mean " + guess + "?"), "known here: " + String.join(", ", names));
    }

}
