package dev.tuneup.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tuneup.TuneupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An {@link Evaluation} as a JSON document and back. Keys are snake_case and come in the order of the
 * records' components ({@code classes, n, accuracy, top_k, top_k_accuracy, nll, brier, per_class, macro,
 * weighted, confusion, calibration, bootstrap}), so files diff cleanly. Undefined numbers (an empty
 * reliability bin, intervals without bootstrap) are written as the string {@code "NaN"} and read back
 * as NaN. Reading checks the document as {@link Evaluation}'s constructor does; unknown keys are errors.
 */
public final class EvaluationJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(new dev.tuneup.JsonFiles.SnakeCase())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private EvaluationJson() {
    }

    /** The evaluation as an indented JSON document. */
    public static String toJson(Evaluation e) {
        try {
            return JSON.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("an Evaluation always serialises", ex);
        }
    }

    /** Parses a document written by {@link #toJson}. */
    public static Evaluation fromJson(String json) {
        try {
            return JSON.readValue(json, Evaluation.class);
        } catch (JsonProcessingException ex) {
            throw new TuneupException("not an evaluation document: " + ex.getOriginalMessage(),
                    "pass a file written by tuneup's EvaluationJson.write");
        }
    }

    /** Writes the evaluation to {@code file} atomically (temporary file, then rename), creating folders. */
    public static void write(Path file, Evaluation e) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = dev.tuneup.TempFiles.file(parent, ".evaluation", ".json.tmp");
        try {
            Files.writeString(tmp, toJson(e) + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads an evaluation written by {@link #write}. */
    public static Evaluation read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException ex) {
            throw new TuneupException("no evaluation file " + file, "evaluate first, or check the path");
        }
        try {
            return fromJson(text);
        } catch (TuneupException ex) {
            throw new TuneupException(file + " is " + ex.getMessage(), ex.fix());
        }
    }
}
