package dev.tuneup.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneup.report.ReportPage.Link;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a folder's model came from, read from what the folders record themselves: a fine-tune's
 * {@code finetune.base}, an eval's or analysis' {@code model}, a repair candidate's base and the bundle its gate
 * kept. Followed back to a folder that names no parent; oldest first.
 */
public final class Lineage {
    private static final int MAX_DEPTH = 16;

    private Lineage() {
    }

    public static List<Link> of(Path dir) {
        List<Link> chain = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        Path at = dir.toAbsolutePath().normalize();
        while (at != null && seen.add(at) && chain.size() < MAX_DEPTH) {
            chain.add(0, link(at));
            at = parent(at);
        }
        JsonNode gate = FolderFiles.json(dir.resolve("gate.json"));
        if (gate != null && gate.hasNonNull("bundle")) {
            chain.add(new Link(gate.path("accepted").asBoolean() ? "accepted" : "rejected, kept",
                    shortName(Path.of(gate.get("bundle").asText())), gate.get("bundle").asText()));
        }
        return chain;
    }

    private static Link link(Path p) {
        if (!Files.isDirectory(p)) {
            return new Link("bundle", shortName(p), p.toString());
        }
        String kind;
        try {
            kind = ReportKind.detect(p).id();
        } catch (RuntimeException e) {
            kind = Files.isRegularFile(p.resolve("manifest.json"))
                    ? "bundle" : "folder";
        }
        return new Link(kind, p.getFileName().toString(), p.toString());
    }

    /** The folder (or bundle) this one started from, or null. */
    static Path parent(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        String from = FolderFiles.finetuneBase(dir);
        for (String file : new String[] {"eval.json", "analysis.json"}) {
            JsonNode json = from == null ? FolderFiles.json(dir.resolve(file)) : null;
            if (json != null && json.hasNonNull("model")) {
                from = json.get("model").asText();
            }
        }
        if (from == null && Files.isRegularFile(dir.resolve("splits.json"))) {
            Path candidate = child(dir, "-candidate");
            from = candidate == null ? null : FolderFiles.finetuneBase(candidate);
        }
        if (from == null) {
            return null;
        }
        Path p = Path.of(from).toAbsolutePath().normalize();
        // a run's bundle stands for its run folder
        return p.getFileName() != null && p.getFileName().toString().equals("bundle") && p.getParent() != null
                && Files.isRegularFile(p.getParent().resolve("config.yaml")) ? p.getParent() : p;
    }

    private static Path child(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isDirectory(p)).sorted()
                    .findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shortName(Path p) {
        Path parent = p.getParent();
        return parent == null || parent.getFileName() == null ? String.valueOf(p.getFileName())
                : parent.getFileName() + "/" + p.getFileName();
    }
}
