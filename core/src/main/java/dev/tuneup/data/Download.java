package dev.tuneup.data;

import dev.tuneup.TuneupException;
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
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One verified download: the body goes to {@code <file>.part}, is checked against the published
 * checksum, and only then is moved into place atomically, so an interrupted or damaged download never
 * looks like the file. A {@code .part} left by an interrupted download is resumed with an HTTP
 * {@code Range} request (a server that ignores it sends the whole file, which replaces the part).
 * Shared by data set and model fetches.
 */
public final class Download {
    /** A published checksum: the algorithm ({@code SHA-256}, {@code SHA-1}, {@code MD5}) and its lowercase hex. */
    public record Checksum(String algorithm, String hex) {
        public Checksum {
            hex = hex.toLowerCase(Locale.ROOT);
            digest(algorithm); // fails now for an unknown algorithm
        }

        public static Checksum sha256(String hex) {
            return new Checksum("SHA-256", hex);
        }

        public static Checksum sha1(String hex) {
            return new Checksum("SHA-1", hex);
        }

        public static Checksum md5(String hex) {
            return new Checksum("MD5", hex);
        }

        /** This checksum of {@code file}. */
        public String of(Path file) throws IOException {
            MessageDigest md = digest(algorithm);
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
                copy(in, OutputStream.nullOutputStream(), n -> { });
            }
            return HexFormat.of().formatHex(md.digest());
        }

        public boolean matches(Path file) throws IOException {
            return Files.isRegularFile(file) && of(file).equals(hex);
        }

        @Override
        public String toString() {
            return algorithm + " " + hex;
        }
    }

    /** Why a download failed, so callers can word the fix for what they fetch. */
    public enum Problem { OFFLINE, HTTP, CHECKSUM, TRUNCATED, IO }

    /** A failed download; nothing was left at the target, a resumable {@code .part} only for TRUNCATED and IO. */
    public static final class Failure extends TuneupException {
        private final Problem problem;
        private final String reason;

        Failure(Problem problem, String url, String reason, String fix, Throwable cause) {
            super(url + ": " + reason, fix, cause);
            this.problem = problem;
            this.reason = reason;
        }

        /** The message without the URL. */
        public String reason() {
            return reason;
        }

        public Problem problem() {
            return problem;
        }
    }

    /** The connect timeout of {@link #client()}: offline, a fetch fails within about this long. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    /** A download that receives nothing for this long is stopped (HttpClient has no read timeout of its own). */
    public static final Duration STALL = Duration.ofSeconds(60);

    private final HttpClient http;
    private final Duration stall;

    public Download(HttpClient http) {
        this(http, STALL);
    }

    Download(HttpClient http, Duration stall) {
        this.http = http;
        this.stall = stall;
    }

    /** A client that follows redirects and gives up connecting after {@link #CONNECT_TIMEOUT}. */
    public static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * Downloads {@code url} to {@code file}, verified against {@code sum}.
     *
     * @param size the published size in bytes, or -1; a body of another size fails as TRUNCATED
     * @throws Failure naming the URL; offline (unknown host, refused, connect timeout) as OFFLINE
     */
    public void to(String url, Checksum sum, long size, Path file, DataFetch.Progress progress) {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            if (size > 0 && have == size) { // complete but not yet moved (stopped between download and move)
                if (sum.of(part).equals(sum.hex())) {
                    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    return;
                }
                have = size + 1;
            }
            if (size > 0 && have > size) {
                Files.delete(part);
                have = 0;
            }
            HttpResponse<InputStream> response = send(url, have);
            int status = response.statusCode();
            boolean resumed = status == 206 && have > 0;
            if (status != 200 && !resumed) {
                response.body().close();
                throw new Failure(Problem.HTTP, url, "the server answered HTTP " + status, status == 416
                        ? "delete " + part + " and fetch again" : "check the address (or the mirror), or try again later",
                        null);
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            progress.start(file.getFileName().toString(), length < 0 ? size : length + (resumed ? have : 0));
            long got;
            AtomicBoolean stalled = new AtomicBoolean();
            try (InputStream in = response.body();
                 OutputStream out = resumed ? Files.newOutputStream(part, StandardOpenOption.APPEND)
                         : Files.newOutputStream(part)) {
                if (resumed) {
                    progress.advance(have);
                }
                got = watched(in, out, progress::advance, stalled) + (resumed ? have : 0);
            } catch (IOException e) {
                if (!stalled.get()) {
                    throw e;
                }
                got = -1;
            } finally {
                progress.finish();
            }
            if (stalled.get()) {
                throw new Failure(Problem.IO, url, "nothing received for " + stall.toSeconds() + " s: the connection"
                        + " stalled", "fetch again: it resumes from " + part, null);
            }
            if (size > 0 && got != size) {
                throw new Failure(Problem.TRUNCATED, url, "got " + got + " bytes, expected " + size,
                        "fetch again: the download resumes from " + part, null);
            }
            String actual = sum.of(part);
            if (!actual.equals(sum.hex())) {
                Files.deleteIfExists(part);
                throw new Failure(Problem.CHECKSUM, url, "the downloaded file has " + sum.algorithm() + " " + actual
                        + ", expected " + sum.hex(), "fetch again; if it repeats, the server (or mirror) serves another"
                        + " file", null);
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (Failure f) {
            throw f;
        } catch (ConnectException | UnknownHostException | HttpConnectTimeoutException e) {
            throw offline(url, e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnknownHostException || e.getCause() instanceof ConnectException) {
                throw offline(url, e);
            }
            throw new Failure(Problem.IO, url, "download failed: " + e, "fetch again: it resumes from " + part, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Problem.IO, url, "download interrupted", "fetch again: it resumes from " + part, e);
        }
    }

    private HttpResponse<InputStream> send(String url, long from) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30));
        if (from > 0) {
            b.header("Range", "bytes=" + from + "-");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static Failure offline(String url, Exception e) {
        return new Failure(Problem.OFFLINE, url, "cannot reach " + URI.create(url).getHost() + " (" + e.getClass().getSimpleName()
                + "): this machine looks offline", "", e);
    }

    /** {@link #copy}, closing {@code in} (and setting {@code stalled}) when no byte arrives for {@link #stall}. */
    private long watched(InputStream in, OutputStream out, LongConsumer advanced, AtomicBoolean stalled)
            throws IOException {
        AtomicLong last = new AtomicLong(System.nanoTime());
        ScheduledExecutorService dog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tuneup-download-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, stall.toMillis() / 10);
        dog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - last.get() > stall.toNanos() && !stalled.getAndSet(true)) {
                try {
                    in.close(); // unblocks the reading thread
                } catch (IOException ignored) {
                    // closing is all we can do
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
        try {
            return copy(in, out, n -> {
                last.set(System.nanoTime());
                advanced.accept(n);
            });
        } finally {
            dog.shutdownNow();
        }
    }

    static long copy(InputStream in, OutputStream out, LongConsumer advanced) throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            advanced.accept(n);
            total += n;
        }
        return total;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown checksum algorithm " + algorithm, e);
        }
    }
}
