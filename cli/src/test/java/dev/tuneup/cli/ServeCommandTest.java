package dev.tuneup.cli;

import static dev.tuneup.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.serve.Postgres;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment loop through the real entry points: train, {@code tuneup serve} as its own process,
 * predictions and corrections over HTTP, {@code tuneup monitor} beside the live server, SIGTERM
 * draining it, then {@code tuneup repair --strategy feedback --db} behind the gate; with the log in an
 * SQLite file and in PostgreSQL.
 */
class ServeCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void serveCollectFeedbackMonitorAndRepairFromIt(String kind) throws Exception {
        Path data = Bars.write(dir.resolve("bars"));
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(Bars.settings(data, dir.resolve("runs")));
        train.addAll(List.of("--set", "training.epochs=2", "--set", "output.name=m"));
        CliRun t = run(train);
        assertEquals(0, t.code(), t.err());
        Path bundle = Bars.newest(dir.resolve("runs"), "-m").resolve("bundle");
        assertTrue(Files.exists(bundle.resolve("profile.json")), "train writes the validation profile");

        String db = kind.equals("sqlite") ? dir.resolve("feedback.db").toString() : Postgres.freshDatabase();
        Path portFile = dir.resolve("port");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process server = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--model", bundle.toString(), "--port", "0", "--port-file",
                portFile.toString(), "--db", db, "--threads", "1", "--runs", dir.resolve("runs").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve.log").toFile()).start(); // a file: Process.destroy closes pipes
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(portFile) && System.nanoTime() < until && server.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(portFile), "server did not start:\n" + Files.readString(dir.resolve("serve.log")));
            String base = "http://127.0.0.1:" + Files.readString(portFile).strip();
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            SplittableRandom rng = new SplittableRandom(9);
            int corrections = 0;
            for (int i = 0; i < 40; i++) {
                int c = i % 4;
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(Bars.image(c, rng), "png", png);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/predict"))
                        .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray()))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                JsonNode p = json.readTree(r.body()).get("predictions").get(0);
                String body = json.writeValueAsString(Map.of("prediction_id", p.get("id").asText(),
                        "correct_label", "band" + c));
                HttpResponse<String> f = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/feedback"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, f.statusCode(), f.body());
                corrections++;
            }
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("tuneup_feedback_total 40"), metrics);

            CliRun m = run(List.of("monitor", "--db", db));
            assertEquals(0, m.code(), m.err());
            assertTrue(m.out().contains("40 predictions, " + corrections + " with feedback"), m.out());
            assertTrue(m.out().contains("Not enough traffic"), "40 answers are below the 100 drift needs:\n" + m.out());
        } finally {
            server.destroy(); // SIGTERM: the server drains and stops
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        }
        String log = Files.readString(dir.resolve("serve.log"));
        assertEquals(143, server.exitValue(), "the JVM's exit status after SIGTERM:\n" + log);
        assertTrue(log.contains("draining and stopping"), log);
        for (String noise : List.of("NNPACK", "CudaUtils", "deprecated", "[W")) {
            assertFalse(log.contains(noise), "engine noise '" + noise + "' in the server's log:\n" + log);
        }
        // the session is a run of the store: finished, and its parent is the run whose bundle it served
        CliRun served = run("runs", "list", dir.resolve("runs").toString(), "--filter", "kind=serve", "--json");
        JsonNode session = new ObjectMapper().readTree(served.out()).get(0);
        assertEquals("finished", session.get("status").asText(), served.out());
        assertEquals(bundle.getParent().getFileName().toString(), session.get("parent").asText(), served.out());

        List<String> rep = new ArrayList<>(List.of("repair", "--model", bundle.toString(), "--strategy", "feedback",
                "--db", db, "--eval-per-class", "8"));
        rep.addAll(Bars.settings(data, dir.resolve("runs")));
        rep.addAll(List.of("--set", "training.epochs=1", "--set", "output.name=fb"));
        CliRun r = run(rep);
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("40 labelled images from", "32 labelled images join the training set (x5), 8 are"
                + " held out", "accuracy on 8 held-out user-labelled images", "Verdict:")) {
            assertTrue(r.out().contains(s), s + " in\n" + r.out());
        }
        CliRun none = run(List.of("monitor", "--db", dir.resolve("nope.db").toString()));
        assertEquals(1, none.code());
        assertTrue(none.err().contains("no prediction log at"), none.err());
    }
}
