package dev.tuneup.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code run.json}: what a workflow says about its run folder, written when it starts and again when
 * it ends: {@code kind}, {@code status}, {@code started}, {@code ended}, {@code detail},
 * {@code lineage} (a list of {@code relation}, {@code path}) and {@code metrics} (numbers it knows at
 * its end that no other file holds). snake_case keys; unknown keys are kept by readers that ignore them.
 */
record RunJson(RunKind kind, RunStatus status, Instant started, Instant ended, String detail, List<Lineage> lineage,
               Map<String, Double> metrics) {
    static final String FILE = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    byte[] bytes() {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", kind.id());
        root.put("status", status.id());
        root.put("started", started.toString());
        if (ended != null) {
            root.put("ended", ended.toString());
        }
        root.put("detail", detail == null ? "" : detail);
        ArrayNode links = root.putArray("lineage");
        for (Lineage l : lineage) {
            links.addObject().put("relation", l.relation()).put("path", l.path());
        }
        ObjectNode m = root.putObject("metrics");
        metrics.forEach(m::put);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a run.json always serialises", e);
        }
    }

    /** The run.json in {@code dir}, or null when there is none or it cannot be read. */
    static RunJson read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            List<Lineage> links = new ArrayList<>();
            for (JsonNode l : root.path("lineage")) {
                links.add(new Lineage(l.path("relation").asText(), l.path("path").asText(), null));
            }
            Map<String, Double> metrics = new java.util.TreeMap<>();
            root.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
            return new RunJson(RunKind.of(root.path("kind").asText()), RunStatus.of(root.path("status").asText()),
                    instant(root.path("started").asText()), root.has("ended") ? instant(root.path("ended").asText())
                    : null, root.path("detail").asText(""), links, metrics);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Instant instant(String s) {
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
