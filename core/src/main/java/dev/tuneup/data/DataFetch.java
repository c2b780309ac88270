package dev.tuneup.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.LongConsumer;
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
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build());
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
                if (!(Files.isRegularFile(file) && md5(file).equals(remote.md5()))) {
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

    /** Downloads one file to {@code file} via a {@code .part} file, verifying its MD5. */
    void download(KnownDataset.Remote remote, Path file, Progress progress) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(remote.url())).timeout(Duration.ofMinutes(30))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | UnknownHostException | HttpConnectTimeoutException e) {
            throw offline(remote, file, e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnknownHostException || e.getCause() instanceof ConnectException) {
                throw offline(remote, file, e);
            }
            throw new DataException(remote.url(), DataException.Problem.IO, "download failed: " + e,
                    "try again later, or place the file at " + file + " yourself", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException(remote.url(), DataException.Problem.IO, "download interrupted", "run it again");
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new DataException(remote.url(), DataException.Problem.NOT_FOUND, "server answered HTTP "
                    + response.statusCode(), "try again later, or place the file at " + file + " yourself");
        }
        MessageDigest md = md5Digest();
        progress.start(file.getFileName().toString(), response.headers().firstValueAsLong("Content-Length").orElse(-1));
        try (InputStream in = new DigestInputStream(response.body(), md);
             OutputStream out = Files.newOutputStream(part)) {
            copy(in, out, progress::advance);
        } finally {
            progress.finish();
        }
        String got = HexFormat.of().formatHex(md.digest());
        if (!got.equals(remote.md5())) {
            Files.deleteIfExists(part);
            throw new DataException(remote.url(), DataException.Problem.TRUNCATED, "downloaded file has MD5 " + got
                    + ", expected " + remote.md5(), "run the fetch again; the download was damaged");
        }
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static DataException offline(KnownDataset.Remote remote, Path file, Exception e) {
        return new DataException(remote.url(), DataException.Problem.NOT_FOUND, "cannot reach the server ("
                + e.getClass().getSimpleName() + "): this machine looks offline",
                "download " + remote.url() + " elsewhere (MD5 " + remote.md5() + ") and put it at " + file
                        + ", or set TUNEUP_DATA to a folder that holds the data set", e);
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

    static String md5(Path file) throws IOException {
        MessageDigest md = md5Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            copy(in, OutputStream.nullOutputStream(), n -> { });
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void copy(InputStream in, OutputStream out, LongConsumer advanced) throws IOException {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            advanced.accept(n);
        }
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
