package dev.tuneup.train;

import dev.tuneup.TuneupException;
import dev.tuneup.track.AtomicFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
    static final String MANIFEST = AtomicFolder.MANIFEST;
    private static final String PREFIX = "ckpt-";
    private final Path dir;
    private final int keep;

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
            AtomicFolder.deleteTree(target);
            AtomicFolder.write(target, files, Map.of("step", step));
            prune(pinned);
            return target;
        } catch (IOException e) {
            throw new TuneupException("cannot write checkpoint " + target + ": " + e.getMessage(),
                    "check free disk space and permissions of " + dir, e);
        }
    }

    /** The newest complete, intact checkpoint, or null when there is none. */
    public Loaded loadLatest() {
        return latest(new ArrayList<>());
    }

    /**
     * Where a resumed run starts: the newest intact checkpoint, or null when none was written yet. When
     * checkpoints exist but every one is damaged, starting over would silently throw their training away,
     * so that is an error naming each, unless {@code restart} asks for it.
     */
    public Loaded resumePoint(boolean restart) {
        List<String> damaged = new ArrayList<>();
        Loaded l = latest(damaged);
        if (l == null && !damaged.isEmpty() && !restart) {
            throw new TuneupException("every checkpoint in " + dir + " is damaged, so the run cannot resume: "
                    + String.join("; ", damaged), "restore the checkpoints from a backup, or train the run again from"
                    + " step 0 in this folder with tuneup resume --restart " + dir.getParent());
        }
        return l;
    }

    private Loaded latest(List<String> warnings) {
        for (Path folder : folders()) {
            try {
                return load(folder, warnings);
            } catch (IOException | IllegalStateException e) {
                warnings.add(folder.getFileName() + " is damaged (" + e.getMessage() + ")");
            }
        }
        return null;
    }

    /** Loads one checkpoint folder, verifying its manifest. */
    public Loaded load(Path folder, List<String> warnings) throws IOException {
        Map<String, byte[]> files = AtomicFolder.read(folder, null, Long.MAX_VALUE);
        return new Loaded(AtomicFolder.manifest(folder).path("step").asLong(), folder, files, warnings);
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
                AtomicFolder.deleteTree(p);
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path stale : s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                AtomicFolder.deleteTree(stale); // left by a run killed mid-write; never loaded
            }
        }
    }

    static String name(long step) {
        return String.format("%s%012d", PREFIX, step);
    }

    static String sha256(byte[] bytes) {
        return AtomicFolder.sha256(bytes);
    }
}
