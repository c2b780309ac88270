package dev.tuneup.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneup.TuneupException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RunRecord} as JSON (the store's rows and {@code tuneup runs --json}): keys {@code id, dir,
 * kind, status, created, ended, detail, parent, config, metrics, artefacts, lineage} (each edge
 * {@code relation, path, run}); times ISO-8601, absent values null.
 */
public final class RunRecordJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunRecordJson() {
    }

    /** The record as a JSON object. */
    public static ObjectNode tree(RunRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.id());
        o.put("dir", r.dir().toString());
        o.put("kind", r.kind().id());
        o.put("status", r.status().id());
        o.put("created", r.created().toString());
        o.put("ended", r.ended() == null ? null : r.ended().toString());
        o.put("detail", r.detail());
        o.put("parent", r.parent());
        ObjectNode c = o.putObject("config");
        r.config().forEach(c::put);
        ObjectNode m = o.putObject("metrics");
        r.metrics().forEach(m::put);
        ArrayNode a = o.putArray("artefacts");
        r.artefacts().forEach(a::add);
        ArrayNode l = o.putArray("lineage");
        r.lineage().forEach(e -> l.addObject().put("relation", e.relation()).put("path", e.path()).put("run", e.run()));
        return o;
    }

    /** The record as one line of JSON. */
    public static String write(RunRecord r) {
        return tree(r).toString();
    }

    /** A list of records as an indented JSON array. */
    public static String writeAll(List<RunRecord> records) {
        ArrayNode a = JSON.createArrayNode();
        records.forEach(r -> a.add(tree(r)));
        return a.toPrettyString();
    }

    /** A record written by {@link #write}; its folder is taken as {@code root}/id (the root may have moved). */
    static RunRecord read(String json, Path root) {
        try {
            JsonNode o = JSON.readTree(json);
            Map<String, String> config = new LinkedHashMap<>();
            o.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            Map<String, Double> metrics = new LinkedHashMap<>();
            o.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
            List<String> artefacts = new ArrayList<>();
            o.path("artefacts").forEach(n -> artefacts.add(n.asText()));
            List<Lineage> lineage = new ArrayList<>();
            o.path("lineage").forEach(n -> lineage.add(new Lineage(n.path("relation").asText(), n.path("path").asText(),
                    n.path("run").isNull() ? null : n.path("run").asText())));
            String id = o.path("id").asText();
            return new RunRecord(id, root.resolve(id), RunKind.of(o.path("kind").asText()),
                    RunStatus.of(o.path("status").asText()), Instant.parse(o.path("created").asText()),
                    o.path("ended").isNull() ? null : Instant.parse(o.path("ended").asText()), o.path("detail").asText(),
                    config, metrics, artefacts, lineage);
        } catch (IOException | RuntimeException e) {
            throw new TuneupException("a row of the run store cannot be read: " + e.getMessage(),
                    "rebuild the store from the run folders: tuneup runs reindex " + root);
        }
    }
}
