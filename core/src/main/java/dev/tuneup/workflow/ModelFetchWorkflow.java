package dev.tuneup.workflow;

import dev.tuneup.TuneupException;
import dev.tuneup.data.Download;
import dev.tuneup.finetune.NamedBase;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code tuneup model fetch}: puts a named base ({@link NamedBase}) into the model cache as
 * {@code <name>.pt}. The published file is downloaded with a progress bar into a {@code .part} file
 * (an interrupted one resumes), checked against the publisher's checksum, unpacked when it is an
 * archive, and moved into place atomically; nothing unverified ever sits at {@code <name>.pt}.
 */
public final class ModelFetchWorkflow {
    /** Where the base is, and whether this call downloaded it. */
    public record Result(NamedBase base, Path file, boolean downloaded) {
    }

    /** One row of {@code tuneup model list}: a named base and whether {@code <cache>/<name>.pt} exists. */
    public record Listed(NamedBase base, boolean cached) {
    }

    private ModelFetchWorkflow() {
    }

    /** Every named base, with whether it is in {@code cache}. */
    public static List<Listed> list(Path cache) {
        return NamedBase.ALL.stream().map(b -> new Listed(b, Files.isRegularFile(b.file(cache)))).toList();
    }

    /** Fetches {@code name} into {@code cache}; {@code mirror} (or null) replaces the address's scheme and host. */
    public static Result fetch(String name, Path cache, String mirror, HttpClient http, Reporter reporter) {
        NamedBase base = NamedBase.byName(name);
        if (base == null) {
            throw new TuneupException("'" + name + "' is not a base tuneup knows", "use one of " + NamedBase.names()
                    + ", or pass a TorchScript file to --base");
        }
        return fetch(base, cache, mirror, http, reporter);
    }

    /** Fetches {@code base} (an entry of {@link NamedBase#ALL}, or a test's own) into {@code cache}. */
    public static Result fetch(NamedBase base, Path cache, String mirror, HttpClient http, Reporter reporter) {
        Path file = base.file(cache);
        if (Files.isRegularFile(file)) {
            return new Result(base, file, false);
        }
        if (!base.downloadable()) {
            throw new TuneupException("no TorchScript file of " + base.name() + " is published to download",
                    "export it into the cache with PyTorch (internet needed once for the weights): "
                            + base.scriptLine(file) + "   or: " + base.exportLine(file));
        }
        String url = base.url(mirror);
        Path download = base.archive() == NamedBase.Archive.PT ? file
                : cache.resolve(base.name() + (base.archive() == NamedBase.Archive.ZIP ? ".zip" : ".pt.gz"));
        reporter.line("fetching " + base.name() + " from " + url);
        try {
            new Download(http).to(url, base.checksum(), base.size(), download, new DownloadBars(reporter));
        } catch (Download.Failure f) {
            throw switch (f.problem()) {
                case OFFLINE -> new TuneupException(f.getMessage(), "download " + url + " elsewhere (" + base.checksum()
                        + ") and unpack its .pt to " + file + ", or export the same base with PyTorch: "
                        + base.exportLine(file), f);
                case HTTP -> new TuneupException(f.getMessage(), mirror != null ? "check the mirror "
                        + mirror + " (unset " + dev.tuneup.finetune.ModelCache.MIRROR_VARIABLE + " to use the publisher)"
                        : "try again later, or export the same base with PyTorch: " + base.exportLine(file), f);
                default -> f;
            };
        }
        if (download != file) {
            unpack(base, download, file);
        }
        return new Result(base, file, true);
    }

    /** Takes the one {@code .pt} out of {@code archive} into {@code file} (via a {@code .part}), then deletes the archive. */
    private static void unpack(NamedBase base, Path archive, Path file) {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try {
            if (base.archive() == NamedBase.Archive.GZIP) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                try (ZipFile zip = new ZipFile(archive.toFile())) {
                    List<? extends ZipEntry> pts = zip.stream().filter(e -> !e.isDirectory() && e.getName().endsWith(".pt"))
                            .toList();
                    if (pts.size() != 1) {
                        throw new TuneupException(archive + " holds " + pts.size() + " .pt files ("
                                + pts.stream().map(ZipEntry::getName).toList() + "), expected one",
                                "unpack the right one to " + file + " yourself");
                    }
                    try (InputStream in = zip.getInputStream(pts.get(0))) {
                        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(archive);
        } catch (IOException e) {
            throw new TuneupException("cannot unpack " + archive + ": " + e.getMessage(), "delete it and fetch again", e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // best effort: a stale .part is overwritten by the next fetch
            }
        }
    }
}
