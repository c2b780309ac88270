package dev.tuneup.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium, started by a test and driven over the DevTools protocol (JDK's own
 * WebSocket client): open a file, read the DOM, take a screenshot, collect console errors, uncaught
 * exceptions and refused loads (a Content-Security-Policy violation is logged as an error). One browser
 * serves every page of a test class. Tests are skipped, saying why, when the binary is absent.
 */
final class Chromium implements AutoCloseable {
    /** What a page showed: its DOM after load, a PNG of the viewport, and every error it logged. */
    record Page(String dom, byte[] png, List<String> errors) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_S = 30;
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    /** The browser binary: $CHROMIUM, else /usr/bin/chromium. */
    static Path binary() {
        String env = System.getenv("CHROMIUM");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
    }

    /** Starts the browser, or skips the calling test when it is not installed. */
    static Chromium start() throws Exception {
        Path bin = binary();
        Assumptions.assumeTrue(Files.isExecutable(bin), "no Chromium at " + bin + ": the browser tests are skipped"
                + " (apt-get install chromium, or set CHROMIUM to the binary; .ci/run installs it)");
        return new Chromium(bin);
    }

    private Chromium(Path bin) throws Exception {
        profile = Files.createTempDirectory("tuneup-chromium");
        process = new ProcessBuilder(bin.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--disable-extensions", "--remote-allow-origins=*", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!(Files.isRegularFile(portFile) && Files.readAllLines(portFile).size() >= 2)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(profile.resolve("chromium.log"));
                close();
                throw new IllegalStateException("Chromium did not start its DevTools endpoint:\n" + log);
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String ws = null;
        for (JsonNode t : JSON.readTree(list)) {
            if (t.path("type").asText().equals("page")) {
                ws = t.path("webSocketDebuggerUrl").asText();
            }
        }
        if (ws == null) {
            close();
            throw new IllegalStateException("Chromium lists no page target: " + list);
        }
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(TIMEOUT_S))
                .buildAsync(URI.create(ws), new Listener()).join();
        for (String domain : new String[] {"Page", "Runtime", "Log"}) {
            call(domain + ".enable", JSON.createObjectNode());
        }
    }

    /** Opens {@code file} in a {@code width} x {@code height} viewport; the screenshot is the viewport. */
    Page open(Path file, int width, int height) throws Exception {
        return open(file, width, height, 0, 1);
    }

    /**
     * Opens {@code file} {@code width} wide; with {@code maxHeight} &gt; 0 the screenshot is the page from its
     * top, at most {@code maxHeight} CSS pixels, drawn at {@code scale}.
     */
    Page open(Path file, int width, int height, double maxHeight, double scale) throws Exception {
        ObjectNode metrics = JSON.createObjectNode().put("width", width).put("height", height).put("deviceScaleFactor", 1)
                .put("mobile", false);
        call("Emulation.setDeviceMetricsOverride", metrics);
        errors.clear();
        loaded = new CompletableFuture<>();
        call("Page.navigate", JSON.createObjectNode().put("url", file.toAbsolutePath().toUri().toString()));
        loaded.get(TIMEOUT_S, TimeUnit.SECONDS);
        String dom = call("Runtime.evaluate", JSON.createObjectNode().put("expression",
                "document.documentElement.outerHTML").put("returnByValue", true)).path("result").path("value").asText();
        ObjectNode shot = JSON.createObjectNode().put("format", "png");
        if (maxHeight > 0) {
            double h = call("Runtime.evaluate", JSON.createObjectNode().put("expression",
                    "document.documentElement.scrollHeight").put("returnByValue", true)).path("result").path("value").asDouble();
            shot.put("captureBeyondViewport", true).putObject("clip").put("x", 0).put("y", 0).put("width", width)
                    .put("height", Math.min(h, maxHeight)).put("scale", scale);
        }
        byte[] png = Base64.getDecoder().decode(call("Page.captureScreenshot", shot).path("data").asText());
        Thread.sleep(100); // let late console messages arrive
        return new Page(dom, png, List.copyOf(errors));
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(JSON.writeValueAsString(msg), true).join();
        JsonNode reply = f.get(TIMEOUT_S, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    private void onMessage(JsonNode m) {
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f != null) {
                f.complete(m);
            }
            return;
        }
        JsonNode p = m.path("params");
        switch (m.path("method").asText()) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> errors.add("Uncaught: " + p.path("exceptionDetails"));
            case "Runtime.consoleAPICalled" -> {
                if (p.path("type").asText().equals("error")) {
                    errors.add("Console error: " + p.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                if (p.path("entry").path("level").asText().equals("error")) {
                    errors.add("Log error: " + p.path("entry").path("text").asText());
                }
            }
            default -> { }
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.abort();
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Collects a message's fragments, then hands the whole to {@link #onMessage}. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                try {
                    onMessage(JSON.readTree(buffer.toString()));
                } catch (IOException e) {
                    errors.add("unreadable DevTools message: " + e.getMessage());
                }
                buffer.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
