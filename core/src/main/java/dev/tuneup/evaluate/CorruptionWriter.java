package dev.tuneup.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tuneup.TuneupException;
import dev.tuneup.data.ImageSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes corrupted copies of a set as {@code out/<corruption>/<severity>/}, each a folder tuneup
 * loads as a data set (see {@link CorruptionFormat}). A folder is filled under a hidden temporary
 * name beside it and renamed into place only when complete, with its {@code corruption.json}
 * written last, so a crash never leaves a half folder under the final name. A folder whose
 * {@code corruption.json} records the same source, corruption, severity, seed and format is kept,
 * so an interrupted run resumes where it stopped.
 */
public final class CorruptionWriter {
    /** The file in each folder that records how it was made. */
    public static final String INFO = "corruption.json";
    /** Bumped when a corruption's output changes, so old folders are rewritten rather than reused. */
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path out;
    private final ImageSet clean;
    private final String source;
    private final long seed;
    private final CorruptionFormat format;
    private final String cleanHash;

    /**
     * @param source what the set is, for the record (e.g. {@code fashion-mnist:test})
     */
    public CorruptionWriter(Path out, ImageSet clean, String source, long seed, CorruptionFormat format) {
        format.check(clean);
        this.out = out;
        this.clean = clean;
        this.source = source;
        this.seed = seed;
        this.format = format;
        this.cleanHash = clean.contentHash();
    }

    /** The folder of one (corruption, severity). */
    public Path folder(Corruption c, int severity) {
        return out.resolve(c.id()).resolve(Integer.toString(severity));
    }

    /** True when that folder is complete and was made from the same input with the same settings. */
    public boolean isDone(Corruption c, int severity) {
        Path info = folder(c, severity).resolve(INFO);
        if (!Files.isRegularFile(info)) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(info.toFile());
            return node.path("key").asText().equals(key(c, severity));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Corrupts and writes one (corruption, severity) unless {@link #isDone}; {@code onImage} runs once
     * per corrupted image. Returns true when it wrote, false when it kept a finished folder.
     */
    public boolean write(Corruption c, int severity, Runnable onImage) {
        if (isDone(c, severity)) {
            return false;
        }
        Path target = folder(c, severity);
        Path parent = target.getParent();
        String name = target.getFileName().toString();
        Path tmp = parent.resolve("." + name + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(parent);
            ImageSet corrupted = Corruptions.apply(clean, c, severity, seed, onImage);
            Files.createDirectory(tmp);
            format.write(corrupted, tmp);
            JSON.writeValue(tmp.resolve(INFO).toFile(), info(c, severity, corrupted));
            if (Files.exists(target)) {
                Path old = parent.resolve("." + name + ".old-" + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return true;
        } catch (IOException e) {
            throw new TuneupException("cannot write " + target + ": " + e, "check free space and permissions of " + out, e);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * Writes {@code out/corruptions.json} (what was written, with each corruption's parameters) and
     * {@code out/classes.txt} (the class folder names in id order, for {@code --classes}), each
     * through a temporary file and a rename.
     */
    public void writeIndex(List<Corruption> corruptions, List<Integer> severities) {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("source", source);
        index.put("source_hash", cleanHash);
        index.put("seed", seed);
        index.put("format", format.id());
        index.put("images", clean.size());
        index.put("shape", List.of(clean.height(), clean.width(), clean.channels()));
        index.put("classes", clean.classes());
        Map<String, Object> entries = new LinkedHashMap<>();
        for (Corruption c : corruptions) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("severities", severities(c, severities));
            e.put("parameters", c.parameters());
            entries.put(c.id(), e);
        }
        index.put("corruptions", entries);
        try {
            Files.createDirectories(out);
            Path tmp = out.resolve(".corruptions.json.tmp");
            JSON.writeValue(tmp.toFile(), index);
            Files.move(tmp, out.resolve("corruptions.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Path classes = out.resolve(".classes.txt.tmp");
            Files.write(classes, CorruptionFormat.classFolders(clean.classes()));
            Files.move(classes, out.resolve("classes.txt"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TuneupException("cannot write the index in " + out + ": " + e, "check free space and permissions", e);
        }
    }

    /** The severities worth writing for {@code c}: all asked for, or only the first for a one-level corruption. */
    public static List<Integer> severities(Corruption c, List<Integer> asked) {
        return c.levels() == 1 ? asked.subList(0, Math.min(1, asked.size())) : asked;
    }

    private String key(Corruption c, int severity) {
        return String.join("|", "v" + VERSION, c.id(), Integer.toString(severity), Long.toString(seed), format.id(),
                cleanHash);
    }

    private Map<String, Object> info(Corruption c, int severity, ImageSet corrupted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("corruption", c.id());
        m.put("severity", severity);
        m.put("parameters", c.parameters());
        m.put("seed", seed);
        m.put("format", format.id());
        m.put("source", source);
        m.put("images", corrupted.size());
        m.put("shape", List.of(corrupted.height(), corrupted.width(), corrupted.channels()));
        m.put("classes", corrupted.classes());
        m.put("content_hash", corrupted.contentHash());
        m.put("key", key(c, severity));
        return m;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover hidden folder is harmless and is not a complete folder
        }
    }
}
