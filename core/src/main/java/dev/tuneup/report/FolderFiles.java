package dev.tuneup.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tuneup.TuneupException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the files of a run folder for a report; a file that is absent reads as null or empty. */
final class FolderFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FolderFiles() {
    }

    static JsonNode json(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new TuneupException("cannot read " + file + ": " + e.getMessage(), "run the step that wrote it again");
        }
    }

    static String text(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CSV with a header as rows of name to value (numbers as Double, anything else as String). */
    static List<Map<String, Object>> csv(Path file) {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            while (it.hasNext()) {
                Map<String, Object> row = new LinkedHashMap<>();
                it.next().forEach((k, v) -> row.put(k, number(v)));
                rows.add(row);
            }
        } catch (IOException | RuntimeException e) {
            throw new TuneupException("cannot read " + file + ": " + e.getMessage(), "run the step that wrote it again");
        }
        return rows;
    }

    private static Object number(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    /** config.yaml's {@code finetune.base} (the bundle a fine-tune started from), or null. */
    static String finetuneBase(Path dir) {
        Path file = dir.resolve("config.yaml");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            String base = new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("finetune").path("base").asText("");
            return base.isBlank() || base.equals("null") ? null : base;
        } catch (IOException e) {
            throw new TuneupException("cannot read " + file + ": " + e.getMessage(), "check the run folder");
        }
    }

    /** {@code n}'s field {@code snake} (top_losses), or the camelCase key older files used (topLosses). */
    static JsonNode field(JsonNode n, String snake) {
        if (n.has(snake)) {
            return n.get(snake);
        }
        StringBuilder camel = new StringBuilder();
        for (String part : snake.split("_")) {
            camel.append(camel.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return n.path(camel.toString());
    }

    /** A number with four decimals, "-" when absent or not finite. */
    static String num(JsonNode n) {
        return n == null || !n.isNumber() ? "-" : num(n.asDouble());
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
    }
}
