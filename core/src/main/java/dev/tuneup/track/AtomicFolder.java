package dev.tuneup.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of files that is either complete or absent: the files are written into a temporary
 * sibling folder and fsynced, then {@code manifest.json} lists each file's SHA-256 and size with
 * {@code "complete": true}, and only then is the folder renamed into place. Reading checks the
 * manifest, each file's size before reading it (so a damaged manifest cannot make us allocate
 * gigabytes) and its hash. Checkpoints and model bundles are both such folders.
 */
public final class AtomicFolder {
    public static final String MANIFEST = "manifest.json";
    private static final long MAX_MANIFEST = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AtomicFolder() {
    }

    /**
     * Writes {@code files} as the folder {@code target}, which must not exist yet; {@code extra}
     * entries go into the manifest too.
     */
    public static Path write(Path target, Map<String, byte[]> files, Map<String, Object> extra) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = dev.tuneup.TempFiles.folder(parent, ".tmp-" + target.getFileName() + "-");
        try {
            ObjectNode manifest = JSON.createObjectNode();
            extra.forEach((k, v) -> manifest.set(k, JSON.valueToTree(v)));
            ObjectNode hashes = manifest.putObject("files");
            ObjectNode sizes = manifest.putObject("bytes");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                writeSynced(tmp.resolve(f.getKey()), f.getValue());
                hashes.put(f.getKey(), sha256(f.getValue()));
                sizes.put(f.getKey(), f.getValue().length);
            }
            manifest.put("complete", true);
            writeSynced(tmp.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        syncDir(parent);
        return target;
    }

    /** The manifest of a complete folder; an {@link IllegalStateException} says what is wrong otherwise. */
    public static JsonNode manifest(Path folder) throws IOException {
        Path m = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(m)) {
            throw new IllegalStateException("no " + MANIFEST);
        }
        if (Files.size(m) > MAX_MANIFEST) {
            throw new IllegalStateException(MANIFEST + " is " + Files.size(m) + " bytes, more than any real one");
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(m.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(MANIFEST + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + ")");
        }
        if (!manifest.path("complete").asBoolean(false)) {
            throw new IllegalStateException(MANIFEST + " does not say complete");
        }
        return manifest;
    }

    /**
     * Reads and verifies the files the manifest lists; with {@code wanted} non-null only those
     * (each must be listed), never any other file in the folder.
     */
    public static Map<String, byte[]> read(Path folder, Set<String> wanted, long maxFileBytes) throws IOException {
        JsonNode manifest = manifest(folder);
        JsonNode hashes = manifest.path("files");
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (var it = hashes.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (wanted != null && !wanted.contains(name)) {
                continue;
            }
            if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new IllegalStateException(MANIFEST + " lists '" + name + "', which is not a plain file name");
            }
            Path f = folder.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new IllegalStateException(name + " is missing");
            }
            long size = Files.size(f);
            JsonNode expected = manifest.path("bytes").path(name);
            if (!expected.isMissingNode() && expected.asLong() != size) {
                throw new IllegalStateException(name + " is " + size + " bytes, the manifest says " + expected.asLong()
                        + " (truncated or changed)");
            }
            if (size > maxFileBytes) {
                throw new IllegalStateException(name + " is " + size + " bytes, over the limit of " + maxFileBytes);
            }
            byte[] bytes = Files.readAllBytes(f);
            if (!sha256(bytes).equals(hashes.path(name).asText())) {
                throw new IllegalStateException(name + " does not match its SHA-256 (truncated or changed)");
            }
            out.put(name, bytes);
        }
        if (wanted != null) {
            for (String w : wanted) {
                if (!out.containsKey(w)) {
                    throw new IllegalStateException(MANIFEST + " does not list " + w);
                }
            }
        }
        return out;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
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
}
