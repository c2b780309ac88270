package dev.tuneup;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.Locale;

/**
 * The one JSON style of every file tuneup writes: snake_case keys (one underscore per capital of a record
 * component: {@code bestStep -> best_step}, {@code macroF1 -> macro_f1}), indented. Map keys (class names,
 * parameters) are written as they are. Files written before this style (camelCase keys) still read:
 * {@link #read} falls back to the old keys when the new ones are not there.
 */
public final class JsonFiles {
    /** Writes and reads snake_case; unknown keys are errors. */
    public static final ObjectMapper MAPPER = new ObjectMapper().setPropertyNamingStrategy(new SnakeCase())
            .enable(SerializationFeature.INDENT_OUTPUT).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper LEGACY = new ObjectMapper();

    private JsonFiles() {
    }

    /** {@code type} from a snake_case document, or from one written with camelCase keys by an older tuneup. */
    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return read(json, MAPPER.constructType(type));
    }

    /** As {@link #read(byte[], Class)}, for generic types. */
    public static <T> T read(byte[] json, TypeReference<T> type) throws IOException {
        return read(json, MAPPER.constructType(type));
    }

    private static <T> T read(byte[] json, JavaType type) throws IOException {
        try {
            return MAPPER.readValue(json, type);
        } catch (UnrecognizedPropertyException e) {
            try {
                return LEGACY.readValue(json, type);
            } catch (IOException legacy) {
                e.addSuppressed(legacy);
                throw e;
            }
        }
    }

    /** A key as this style writes it: {@code topKAccuracy -> top_k_accuracy}. */
    public static String key(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    /** camelCase to snake_case, one underscore per capital. */
    public static final class SnakeCase extends PropertyNamingStrategies.NamingBase {
        @Override
        public String translate(String name) {
            return key(name);
        }
    }
}
