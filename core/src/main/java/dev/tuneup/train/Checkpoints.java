package dev.tuneup.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneup.TuneupException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checkpoints that are never half-written: each is a folder {@code ckpt-<step>} whose files are
 * written into a temporary folder, fsynced, listed with their SHA-256 in {@code manifest.json}
 * (written last, with {@code "complete": true}), and only then renamed into place. Loading takes
 * the newest folder whose manifest and hashes check out; a damaged newer one is skipped with a
 * warning naming what is wrong. The newest {@code keep} checkpoints are kept, plus any pinned ones
 * (e.g. the best).
 */
public final class Checkpoints {
    static final String MANIFEST = "manifest.json";
    private static final String PREFIX = "ckpt-";
    private final Path dir;
    private final int keep;
    private final ObjectMapper json = new ObjectMapper();

    /** A checkpoint that loaded: its step and files, and warnings about newer ones that did not. */
    public record Loaded(long step, Path folder, Map<String, byte[]> files, List<String> warnings) {
    }

    public Checkpoints(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one checkpoint, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    /** Writes {@code files} as the checkpoint of {@code step} atomically; returns its folder. */
    public Path save(long step, Map<String, byte[]> files, List<Path> pinned) {
        Path target = dir.resolve(name(step));
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempDirectory(dir, ".tmp-" + name(step) + "-");
            ObjectNode manifest = json.createObjectNode();
            manifest.put("step", step);
            ObjectNode hashes = manifest.putObject("files");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                writeSynced(tmp.resolve(f.getKey()), f.getValue());
                hashes.put(f.getKey(), sha256(f.getValue()));
            }
            manifest.put("complete", true);
            writeSynced(tmp.resolve(MANIFEST), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDir(dir);
            prune(pinned);
            return target;
        } catch (IOException e) {
            throw new TuneupException("cannot write checkpoint " + target + ": " + e.getMessage(),
                    "check free disk space and permissions of " + dir, e);
        }
    }

    /** The newest complete, intact checkpoint, or null when there is none. */
    public Loaded loadLatest() {
        List<String> warnings = new ArrayList<>();
        for (Path folder : folders()) {
            try {
                return load(folder, warnings);
            } catch (IOException | IllegalStateException e) {
                warnings.add(folder.getFileName() + " is damaged (" + e.getMessage() + "); using an older checkpoint");
            }
        }
        return null;
    }

    /** Loads one checkpoint folder, verifying its manifest. */
    public Loaded load(Path folder, List<String> warnings) throws IOException {
        Path m = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(m)) {
            throw new IllegalStateException("no " + MANIFEST);
        }
        var manifest = json.readTree(m.toFile());
        if (!manifest.path("complete").asBoolean(false)) {
            throw new IllegalStateException("manifest does not say complete");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = manifest.path("files").fields();
        while (it.hasNext()) {
            Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f = it.next();
            byte[] bytes = Files.readAllBytes(folder.resolve(f.getKey()));
            if (!sha256(bytes).equals(f.getValue().asText())) {
                throw new IllegalStateException(f.getKey() + " does not match its SHA-256 (truncated or changed)");
            }
            files.put(f.getKey(), bytes);
        }
        return new Loaded(manifest.path("step").asLong(), folder, files, warnings);
    }

    /** Checkpoint folders, newest step first. */
    List<Path> folders() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        } catch (IOException e) {
            throw new TuneupException("cannot list " + dir + ": " + e.getMessage(), "check the run folder", e);
        }
    }

    private void prune(List<Path> pinned) throws IOException {
        List<Path> all = folders();
        for (int i = keep; i < all.size(); i++) {
            Path p = all.get(i);
            if (pinned.stream().noneMatch(k -> k.toAbsolutePath().normalize().equals(p.toAbsolutePath().normalize()))) {
                deleteTree(p);
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path stale : s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                deleteTree(stale); // left by a run killed mid-write; never loaded
            }
        }
    }

    static String name(long step) {
        return String.format("%s%012d", PREFIX, step);
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
    }

    private static void syncDir(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened for fsync; the rename is still atomic
        }
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
