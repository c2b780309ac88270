package dev.tuneup.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneup.data.ImageFolderFormat;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on port 0 with a real HTTP client: happy paths, every error status, and predictions equal to eval's. */
class ServerTest {
    @TempDir
    static Path tmp;
    static Path bundle;
    static Path folder;
    static Server server;
    static Http http;

    @BeforeAll
    static void start() throws IOException {
        bundle = Fixture.bundle(tmp.resolve("bundle"), 3);
        folder = Fixture.folder(tmp.resolve("images"), 4);
        ServeOptions o = ServeOptions.defaults().withPort(0).withDb("jdbc:sqlite:" + tmp.resolve("log.db"))
                .withLimits(256 * 1024, 250_000, 1 << 20);
        server = Server.start(bundle, o);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static byte[] file(String rel) throws IOException {
        return Files.readAllBytes(folder.resolve(rel));
    }

    static float[] probabilities(JsonNode prediction, List<String> classes) {
        float[] p = new float[classes.size()];
        for (JsonNode e : prediction.get("top")) {
            p[classes.indexOf(e.get("class").asText())] = (float) e.get("probability").asDouble();
        }
        return p;
    }

    /**
     * A JSON batch of the folder's images is one forward pass of the same images as eval's, so the
     * probabilities are equal bit for bit. Single images run as batches of one, and libtorch's CPU
     * kernels round differently for other batch sizes (up to 1e-7 in a logit, measured; see
     * docs/serve.md), so those are equal to 1e-6 with the same ranking.
     */
    @Test
    void predictionsEqualEvaluations() throws IOException {
        float[][] eval = Fixture.evalProbabilities(bundle, folder);
        ImageSet set = ImageFolderFormat.read(folder, LoadOptions.defaults().withSize(16, 16)).split("all");
        List<String> images = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            images.add(Base64.getEncoder().encodeToString(file(set.source(i))));
        }
        Http.Reply r = http.post("/v1/predict", "application/json",
                Http.JSON.writeValueAsBytes(Map.of("images", images)));
        assertEquals(200, r.status(), r.body());
        JsonNode preds = r.json().get("predictions");
        assertEquals(set.size(), preds.size());
        for (int i = 0; i < set.size(); i++) {
            assertArrayEquals(eval[i], probabilities(preds.get(i), Fixture.CLASSES), set.source(i));
        }
        for (int i = 0; i < set.size(); i++) {
            String type = set.source(i).endsWith("png") ? "image/png" : "image/jpeg";
            Http.Reply one = http.post("/v1/predict", type, file(set.source(i)));
            assertEquals(200, one.status(), one.body());
            JsonNode p = one.json().get("predictions").get(0);
            assertEquals(3, p.get("top").size());
            assertArrayEquals(eval[i], probabilities(p, Fixture.CLASSES), 1e-6f, set.source(i));
            assertEquals(preds.get(i).get("top").get(0).get("class"), p.get("top").get(0).get("class"));
        }
    }

    @Test
    void multipartAndTopK() throws IOException {
        String boundary = "tuneupBoundary42";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String f : List.of("cat/0.png", "dog/1.jpg")) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + f
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file(f));
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        Http.Reply r = http.post("/v1/predict?top=1", "multipart/form-data; boundary=" + boundary, body.toByteArray());
        assertEquals(200, r.status(), r.body());
        assertEquals(2, r.json().get("predictions").size());
        assertEquals(1, r.json().get("predictions").get(0).get("top").size());
        assertEquals(server.version(), r.json().get("model_version").asText());
    }

    @Test
    void feedbackIsStoredOnceForKnownPredictionsAndClasses() throws IOException {
        Http.Reply r = http.post("/v1/predict", "image/png", file("cat/0.png"));
        String id = r.json().get("predictions").get(0).get("id").asText();
        assertEquals(201, http.feedback(id, "frog").status());
        Http.Reply again = http.feedback(id, "dog");
        assertEquals(409, again.status(), again.body());
        assertEquals(404, http.feedback("123e4567-e89b-12d3-a456-426614174000", "dog").status());
        assertEquals(400, http.feedback("../../etc/passwd", "dog").status());
        String id2 = http.post("/v1/predict", "image/png", file("cat/2.png")).json().get("predictions").get(0).get("id")
                .asText();
        Http.Reply wrong = http.feedback(id2, "frgo");
        assertEquals(400, wrong.status());
        assertTrue(wrong.json().get("detail").asText().contains("did you mean 'frog'"), wrong.body());
        assertEquals(400, http.post("/v1/feedback", "application/json", "{not json".getBytes(StandardCharsets.UTF_8))
                .status());
        assertEquals(400, http.post("/v1/feedback", "application/json", "{\"prediction_id\": 3}"
                .getBytes(StandardCharsets.UTF_8)).status());
    }

    @Test
    void everyErrorHasItsStatusAndAProblemBody() throws IOException {
        Http.Reply plain = http.post("/v1/predict", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, plain.status());
        assertEquals("application/problem+json", plain.headers().firstValue("Content-Type").orElse(""));
        assertTrue(plain.json().get("fix").asText().contains("image/png"), plain.body());
        assertEquals(415, http.post("/v1/predict", null, file("cat/0.png")).status());
        assertEquals(413, http.post("/v1/predict", "image/png", new byte[300 * 1024]).status());
        byte[] huge = Fixture.encode(new java.awt.image.BufferedImage(600, 600,
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR), "png");
        Http.Reply big = http.post("/v1/predict", "image/png", huge);
        assertEquals(413, big.status(), big.body());
        assertTrue(big.json().get("detail").asText().contains("600x600"), big.body());
        assertTrue(big.json().get("fix").asText().contains("--max-pixels 360000"), big.body());
        assertEquals(400, http.post("/v1/predict", "image/png", "not an image".getBytes(StandardCharsets.UTF_8))
                .status());
        assertEquals(400, http.post("/v1/predict", "image/png", new byte[0]).status());
        assertEquals(400, http.post("/v1/predict", "application/json", "{\"images\": [\"%%%\"]}"
                .getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(400, http.post("/v1/predict?top=0", "image/png", file("cat/0.png")).status());
        assertEquals(404, http.get("/v1/models/../../bundle").status());
        assertEquals(405, http.get("/v1/predict").status());
        assertEquals(404, http.post("/admin/reload", "application/json", new byte[0]).status(), "admin API is off");
    }

    @Test
    void fuzzedBodiesNeverBreakTheServer() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        byte[] png = file("cat/0.png");
        byte[] jpg = file("dog/1.jpg");
        String[] types = {"image/png", "image/jpeg", "application/octet-stream", "application/json",
                "multipart/form-data; boundary=x", "image/bmp"};
        for (int i = 0; i < 300; i++) {
            byte[] base = i % 2 == 0 ? png : jpg;
            byte[] body = switch (i % 5) {
                case 0 -> java.util.Arrays.copyOf(base, r.nextInt(base.length)); // truncated
                case 1 -> flip(base, r, 1 + r.nextInt(8)); // bit flips
                case 2 -> random(r, r.nextInt(2000));
                case 3 -> header(base, r); // header fields overwritten (sizes, chunk lengths)
                default -> ("{\"images\": [" + (r.nextBoolean() ? "\"" + Base64.getEncoder().encodeToString(
                        flip(base, r, 3)) + "\"" : r.nextInt()) + "]}").getBytes(StandardCharsets.UTF_8);
            };
            String type = types[r.nextInt(types.length)];
            Http.Reply reply;
            try {
                reply = http.post("/v1/predict", type, body);
            } catch (AssertionError e) {
                throw new AssertionError("fuzz " + i + " (" + type + ", " + body.length + " bytes)", e);
            }
            assertTrue(reply.status() < 500 || reply.status() == 503, "fuzz " + i + ": " + reply.status() + " "
                    + reply.body());
        }
        assertEquals(200, http.post("/v1/predict", "image/png", png).status());
        assertEquals(200, http.get("/health").status());
    }

    @Test
    void healthReadyAndMetrics() throws IOException {
        assertEquals(200, http.get("/health").status());
        Http.Reply ready = http.get("/ready");
        assertEquals(200, ready.status());
        assertEquals(server.version(), ready.json().get("model_version").asText());
        http.post("/v1/predict", "image/png", file("cat/0.png"));
        http.post("/v1/predict", "text/plain", new byte[1]);
        String m = http.get("/metrics").body();
        for (String name : List.of("tuneup_requests_total{endpoint=\"/v1/predict\",status=\"200\"}",
                "tuneup_request_duration_seconds_bucket", "tuneup_batch_size_bucket", "tuneup_queue_depth",
                "tuneup_rejections_total{reason=\"unsupported_type\"}", "tuneup_predictions_total{class=",
                "tuneup_confidence_bucket", "tuneup_drift_class_psi", "tuneup_drift_level")) {
            assertTrue(m.contains(name), name + " missing from\n" + m);
        }
    }

    private static byte[] flip(byte[] b, SplittableRandom r, int bits) {
        byte[] c = b.clone();
        for (int i = 0; i < bits; i++) {
            int at = r.nextInt(c.length);
            c[at] ^= (byte) (1 << r.nextInt(8));
        }
        return c;
    }

    private static byte[] random(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] header(byte[] b, SplittableRandom r) {
        byte[] c = b.clone();
        for (int i = 8; i < Math.min(40, c.length); i++) {
            if (r.nextInt(4) == 0) {
                c[i] = (byte) 0xff;
            }
        }
        return c;
    }
}
