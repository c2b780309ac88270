package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real HTTP server on loopback. */
class DataFetchTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final byte[] body = "the canonical file\n".getBytes(StandardCharsets.UTF_8);
    private static final String ANY_MD5 = "0123456789abcdef0123456789abcdef";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/file.gz", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/file.gz";
    }

    private static final class Recorder implements DataFetch.Progress {
        final List<String> events = new ArrayList<>();
        long bytes;

        @Override
        public void start(String file, long total) {
            events.add("start " + file + " " + total);
        }

        @Override
        public void advance(long n) {
            bytes += n;
        }

        @Override
        public void finish() {
            events.add("finish");
        }
    }

    @Test
    void downloadsVerifiesAndMovesIntoPlace() throws IOException {
        String md5 = md5Of(body);
        Path target = dir.resolve("file.gz");
        Recorder rec = new Recorder();
        new DataFetch().download(new KnownDataset.Remote(url(), md5), target, rec);
        assertEquals(new String(body, StandardCharsets.UTF_8), Files.readString(target));
        assertEquals(List.of("start file.gz " + body.length, "finish"), rec.events);
        assertEquals(body.length, rec.bytes);
        assertFalse(Files.exists(dir.resolve("file.gz.part")));
    }

    @Test
    void checksumMismatchLeavesNothingBehind() {
        Path target = dir.resolve("file.gz");
        DataException e = assertThrows(DataException.class, () -> new DataFetch()
                .download(new KnownDataset.Remote(url(), "00000000000000000000000000000000"), target, new Recorder()));
        assertTrue(e.getMessage().contains("MD5"), e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(dir.resolve("file.gz.part")));
    }

    @Test
    void offlineFailsFastSayingWhereToPutTheFile() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path target = dir.resolve("file.gz");
        long t0 = System.nanoTime();
        DataException e = assertThrows(DataException.class, () -> new DataFetch().download(
                new KnownDataset.Remote("http://127.0.0.1:" + closed + "/x.gz", ANY_MD5), target, new Recorder()));
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "fails fast");
        assertTrue(e.getMessage().contains("cannot reach"), e.getMessage());
        assertTrue(e.fix().contains(target.toString()), e.fix());
    }

    @Test
    void httpErrorIsReported() {
        DataException e = assertThrows(DataException.class, () -> new DataFetch().download(new KnownDataset.Remote(
                url().replace("file.gz", "missing.gz"), ANY_MD5), dir.resolve("m.gz"), new Recorder()));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    }

    private static String md5Of(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
