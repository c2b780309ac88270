package dev.tuneup.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Downloads a {@link KnownDataset}'s canonical files into a data directory: each to a {@code .part}
 * file, MD5-checked against the published value, then moved into place, so an interrupted or
 * corrupted download never looks like data. Files already present with the right checksum are
 * kept. CIFAR-10's archive is unpacked (regular files only, no paths outside the target).
 */
public final class DataFetch {
    /** Receives progress: called once with the total size (-1 when unknown), then with byte counts. */
    public interface Progress {
        void start(String file, long totalBytes);

        void advance(long bytes);

        void finish();
    }

    private final HttpClient http;

    public DataFetch() {
        this(Download.client());
    }

    public DataFetch(HttpClient http) {
        this.http = http;
    }

    /** Fetches {@code dataset} into {@code dir}/{@code dataset.folder()}; returns that folder. */
    public Path fetch(KnownDataset dataset, Path dir, Progress progress) {
        Path target = dir.resolve(dataset.folder());
        try {
            Files.createDirectories(dataset == KnownDataset.CIFAR10 ? dir : target);
            for (KnownDataset.Remote remote : dataset.files()) {
                Path file = (dataset == KnownDataset.CIFAR10 ? dir : target).resolve(remote.fileName());
                if (!Download.Checksum.md5(remote.md5()).matches(file)) {
                    download(remote, file, progress);
                }
                if (dataset == KnownDataset.CIFAR10 && !CifarBinaryFormat.isLayout(target)) {
                    untar(file, dir);
                }
            }
        } catch (IOException e) {
            throw new DataException(target.toString(), DataException.Problem.IO, "cannot write: " + e.getMessage(),
                    "choose a writable folder with --data-dir");
        }
        return target;
    }

    /** Downloads one file to {@code file} via a {@code .part} file, verifying its MD5 (see {@link Download}). */
    void download(KnownDataset.Remote remote, Path file, Progress progress) {
        try {
            new Download(http).to(remote.url(), Download.Checksum.md5(remote.md5()), -1, file, progress);
        } catch (Download.Failure f) {
            throw switch (f.problem()) {
                case OFFLINE -> new DataException(remote.url(), DataException.Problem.NOT_FOUND, f.reason(),
                        "download " + remote.url() + " elsewhere (MD5 " + remote.md5() + ") and put it at " + file
                                + ", or set TUNEUP_DATA to a folder that holds the data set", f);
                case HTTP -> new DataException(remote.url(), DataException.Problem.NOT_FOUND, f.reason(),
                        "try again later, or place the file at " + file + " yourself", f);
                case CHECKSUM, TRUNCATED -> new DataException(remote.url(), DataException.Problem.TRUNCATED,
                        f.reason(), "run the fetch again; the download was damaged", f);
                case IO -> new DataException(remote.url(), DataException.Problem.IO, f.reason(), f.fix(), f);
            };
        }
    }

    private static void untar(Path archive, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        try (InputStream raw = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path out = root.resolve(e.getName()).normalize();
                if (!e.isFile() || !out.startsWith(root)) {
                    continue;
                }
                Files.createDirectories(out.getParent());
                Path part = out.resolveSibling(out.getFileName() + ".part");
                Files.copy(tar, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }
}
