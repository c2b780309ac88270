package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tuneup.TuneupException;
import dev.tuneup.data.Download;
import dev.tuneup.finetune.ModelCache;
import dev.tuneup.finetune.NamedBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tuneup model fetch} against a real HTTP server on loopback serving a fixture; nothing reaches the internet. */
class ModelFetchWorkflowTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final byte[] pt = new byte[300_000]; // stands in for a TorchScript file: the fetch never opens it
    private byte[] zip;
    private final List<String> ranges = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        new Random(7).nextBytes(pt);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("resnet18_embedding/"));
            z.putNextEntry(new ZipEntry("resnet18_embedding/resnet18_embedding.pt"));
            z.write(pt);
            z.putNextEntry(new ZipEntry("resnet18_embedding/serving.properties"));
            z.write("engine=PyTorch\n".getBytes());
        }
        zip = b.toByteArray();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/models/", this::serve);
        server.start();
    }

    /** Serves the zip at any path ending .zip, honouring "Range: bytes=N-"; 404 otherwise. */
    private void serve(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().endsWith(".zip")) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        ranges.add(String.valueOf(range));
        int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
        ex.sendResponseHeaders(from > 0 ? 206 : 200, zip.length - from);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(zip, from, zip.length - from);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private NamedBase entry(String url, Download.Checksum sum) {
        return new NamedBase("resnet18", "test", url, sum, zip.length, NamedBase.Archive.ZIP, null, "resnet18");
    }

    private Download.Checksum sha256(byte[] b) throws Exception {
        return Download.Checksum.sha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
    }

    private static List<String> files(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsVerifiesUnpacksAndReportsProgress() throws Exception {
        Path cache = dir.resolve("cache");
        List<String> lines = new ArrayList<>();
        long[] bytes = {0};
        Reporter r = new Reporter() {
            @Override
            public void line(String text) {
                lines.add(text);
            }

            @Override
            public Progress progress(String task, long total, String unit) {
                lines.add("bar " + task + " " + total + " " + unit);
                return new Progress() {
                    @Override
                    public void stepTo(long done) {
                    }

                    @Override
                    public void stepBy(long n) {
                        bytes[0] += n;
                    }
                };
            }
        };
        ModelFetchWorkflow.Result res = ModelFetchWorkflow.fetch(entry(base() + "/models/r18.zip", sha256(zip)), cache,
                null, Download.client(), r);
        assertTrue(res.downloaded());
        assertEquals(cache.resolve("resnet18.pt"), res.file());
        assertArrayEquals(pt, Files.readAllBytes(res.file()));
        assertEquals(List.of("resnet18.pt"), files(cache), "the archive and .part files are gone");
        assertEquals("bar resnet18.zip " + zip.length + " B", lines.get(1));
        assertEquals(zip.length, bytes[0]);
        ModelFetchWorkflow.Result again = ModelFetchWorkflow.fetch(entry(base() + "/models/r18.zip", sha256(zip)), cache,
                null, Download.client(), Reporter.silent());
        assertFalse(again.downloaded());
        assertEquals(List.of("null"), ranges, "one request, no Range header");
    }

    @Test
    void aChecksumMismatchLeavesNothingInTheCache() throws Exception {
        Path cache = dir.resolve("cache");
        TuneupException e = assertThrows(TuneupException.class, () -> ModelFetchWorkflow.fetch(
                entry(base() + "/models/r18.zip", sha256(pt)), cache, null, Download.client(), Reporter.silent()));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertEquals(List.of(), files(cache));
    }

    @Test
    void theRealTableEntryIsCheckedWithItsPublishedSha1ThroughTheMirror() throws Exception {
        Path cache = dir.resolve("cache");
        NamedBase real = NamedBase.byName("resnet18");
        String mirror = base() + "/models/";
        assertEquals(base() + "/models/model/cv/image_classification/ai/djl/pytorch/resnet18_embedding/0.0.1/"
                + "resnet18_embedding.zip", real.url(mirror));
        // the fixture is not DJL's 41 MB file: its size differs, so the download stops there, resumable
        Download.Failure e = assertThrows(Download.Failure.class, () -> ModelFetchWorkflow.fetch("resnet18", cache,
                mirror, Download.client(), Reporter.silent()));
        assertEquals(Download.Problem.TRUNCATED, e.problem(), e.getMessage());
        assertTrue(e.getMessage().startsWith(real.url(mirror)), e.getMessage());
        assertFalse(Files.exists(cache.resolve("resnet18.pt")));
    }

    @Test
    void aTruncatedDownloadIsKeptAsPartAndResumedWithARangeRequest() throws Exception {
        Path cache = dir.resolve("cache");
        int cut = 100_000;
        try (ServerSocket raw = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // a server that announces the whole file, sends part of it and drops the connection
            Thread t = new Thread(() -> {
                try (var sock = raw.accept(); OutputStream o = sock.getOutputStream()) {
                    sock.getInputStream().read(new byte[4096]);
                    o.write(("HTTP/1.1 200 OK\r\nContent-Length: " + zip.length + "\r\nConnection: close\r\n\r\n")
                            .getBytes());
                    o.write(zip, 0, cut);
                } catch (IOException ignored) {
                    // the test fails on what the client saw
                }
            });
            t.start();
            TuneupException e = assertThrows(TuneupException.class, () -> ModelFetchWorkflow.fetch(
                    entry("http://127.0.0.1:" + raw.getLocalPort() + "/models/r18.zip", sha256(zip)), cache, null,
                    Download.client(), Reporter.silent()));
            t.join(5000);
            assertTrue(e.fix().contains("resumes"), e.getMessage() + " / " + e.fix());
        }
        assertEquals(List.of("resnet18.zip.part"), files(cache), "no resnet18.pt after a cut download");
        long kept = Files.size(cache.resolve("resnet18.zip.part"));
        assertTrue(kept > 0 && kept <= cut, "kept " + kept);
        ModelFetchWorkflow.Result r = ModelFetchWorkflow.fetch(entry(base() + "/models/r18.zip", sha256(zip)), cache,
                null, Download.client(), Reporter.silent());
        assertArrayEquals(pt, Files.readAllBytes(r.file()));
        assertEquals(List.of("bytes=" + kept + "-"), ranges);
        assertEquals(List.of("resnet18.pt"), files(cache));
    }

    @Test
    void aCompletePartIsVerifiedWithoutARequestAndAWrongOneIsFetchedAgain() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.write(cache.resolve("resnet18.zip.part"), zip);
        ModelFetchWorkflow.fetch(entry(base() + "/models/r18.zip", sha256(zip)), cache, null, Download.client(),
                Reporter.silent());
        assertEquals(List.of(), ranges, "no request");
        assertEquals(List.of("resnet18.pt"), files(cache));
        Files.delete(cache.resolve("resnet18.pt"));
        byte[] wrong = zip.clone();
        wrong[10] ^= 1;
        Files.write(cache.resolve("resnet18.zip.part"), wrong);
        ModelFetchWorkflow.Result r = ModelFetchWorkflow.fetch(entry(base() + "/models/r18.zip", sha256(zip)), cache, null,
                Download.client(), Reporter.silent());
        assertArrayEquals(pt, Files.readAllBytes(r.file()));
        assertEquals(List.of("null"), ranges, "the damaged part was discarded and the whole file fetched");
    }

    @Test
    void notFoundNamesTheAddressAndTheMirror() throws Exception {
        Path cache = dir.resolve("cache");
        TuneupException e = assertThrows(TuneupException.class, () -> ModelFetchWorkflow.fetch(
                entry(base() + "/models/missing.pt.gz", sha256(zip)), cache, base(), Download.client(),
                Reporter.silent()));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.fix().contains("mirror " + base()), e.fix());
        assertEquals(List.of(), files(cache));
    }

    @Test
    void offlineFailsWithinASecondWithTheOneLineExport() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path cache = dir.resolve("cache");
        long t0 = System.nanoTime();
        TuneupException e = assertThrows(TuneupException.class, () -> ModelFetchWorkflow.fetch("resnet18", cache,
                "http://127.0.0.1:" + closed, Download.client(), Reporter.silent()));
        double s = (System.nanoTime() - t0) / 1e9;
        assertTrue(s < 1, "took " + s + " s");
        assertTrue(e.getMessage().contains("looks offline"), e.getMessage());
        assertTrue(e.fix().contains("torchvision.models.resnet18(weights='DEFAULT'); m.fc = torch.nn.Identity();"
                + " torch.jit.script(m).save('" + cache.resolve("resnet18.pt") + "')"), e.fix());
        assertTrue(e.fix().contains("SHA-1 e37db339e87dc13ae0831e45818fca454f526ffb"), e.fix());
    }

    @Test
    void exportOnlyAndUnknownNamesSayWhatToDo() {
        TuneupException only = assertThrows(TuneupException.class, () -> ModelFetchWorkflow.fetch("resnet50", dir, null,
                Download.client(), Reporter.silent()));
        assertTrue(only.fix().contains("scripts/export_torchvision_base.py resnet50 --weights default --output "
                + dir.resolve("resnet50.pt")), only.fix());
        TuneupException unknown = assertThrows(TuneupException.class, () -> ModelFetchWorkflow.fetch("resnet19", dir,
                null, Download.client(), Reporter.silent()));
        assertTrue(unknown.fix().contains("resnet18, resnet34"), unknown.fix());
    }

    @Test
    void theCacheFollowsTheEnvironment() {
        assertEquals(Path.of("/c/own"), ModelCache.dir(Map.of("TUNEUP_MODEL_CACHE", "/c/own", "XDG_CACHE_HOME", "/x"), "/h"));
        assertEquals(Path.of("/x/tuneup/models"), ModelCache.dir(Map.of("XDG_CACHE_HOME", "/x"), "/h"));
        assertEquals(Path.of("/h/.cache/tuneup/models"), ModelCache.dir(Map.of(), "/h"));
    }
}
