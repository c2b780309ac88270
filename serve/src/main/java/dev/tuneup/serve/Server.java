package dev.tuneup.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.data.DataException;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageDecoder;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.track.AtomicFolder;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code tuneup serve}: one bundle behind {@code POST /v1/predict}, {@code POST /v1/feedback},
 * {@code GET /health}, {@code /ready}, {@code /metrics} and, only when a token is configured and only
 * from loopback, {@code POST /admin/reload}. Errors are JSON problem bodies (RFC 9457).
 */
public final class Server implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Server.class);
    private final Path modelPath;
    private final ServeOptions options;
    private final ModelSlot slot;
    private final Batcher batcher;
    private final PredictionLog log;
    private final ServeMetrics metrics;
    private final DriftWatch drift;
    private final Javalin app;
    private final java.util.concurrent.ExecutorService responders;
    private volatile boolean ready;

    private Server(Path modelPath, ServeOptions o) {
        this.modelPath = modelPath;
        this.options = o;
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads libtorch, before its thread count can be set
        ai.djl.pytorch.jni.JniUtils.setNumThreads(o.threads());
        ServedModel first = ServedModel.load(modelPath, o.maxBatch());
        this.slot = new ModelSlot(first);
        this.log = new PredictionLog(o.db(), o.imageStoreBytes());
        this.metrics = new ServeMetrics();
        this.batcher = new Batcher(slot, o, metrics.batchSize::observe); // refusals are counted where they are answered
        metrics.gauge("tuneup_queue_depth", "images waiting for a batch worker", batcher::depth);
        metrics.gauge("tuneup_images_not_kept", "request images not stored for feedback (over --image-store-mb)",
                log::imagesNotKept);
        this.drift = new DriftWatch(o.driftWindow(), metrics);
        this.responders = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread t = new Thread(r, "tuneup-respond");
                    t.setDaemon(true);
                    return t;
                });
        register(first);
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.http.maxRequestSize = o.maxBodyBytes();
            c.http.prefer405over404 = true;
            c.jetty.host = o.host();
            c.jetty.port = o.port();
            c.jetty.modifyServer(server -> { // stop() waits for requests in flight, async ones included
                server.setStopTimeout(Math.max(10_000, 2L * o.timeoutMs()));
                server.setHandler(new org.eclipse.jetty.server.handler.GracefulHandler());
            });
            c.requestLogger.http((ctx, ms) -> observe(ctx, ms));
            c.routes.post("/v1/predict", this::predict);
            c.routes.post("/v1/feedback", this::feedback);
            c.routes.get("/health", ctx -> json(ctx, 200, Map.of("status", "ok")));
            c.routes.get("/ready", this::ready);
            c.routes.get("/metrics", ctx -> ctx.contentType(ServeMetrics.contentType()).result(metrics.scrape()));
            c.routes.post("/admin/reload", this::reload);
            c.routes.exception(Problem.class, (e, ctx) -> problem(ctx, e));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx,
                    new Problem(e.getStatus(), e.getMessage(), null)));
            c.routes.exception(Exception.class, (e, ctx) -> problem(ctx, e));
            c.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    problem(ctx, new Problem(404, "no endpoint " + ctx.method() + " " + ctx.path(), "the endpoints are"
                            + " POST /v1/predict, POST /v1/feedback, GET /health, /ready, /metrics"));
                }
            });
            c.routes.error(405, ctx -> problem(ctx, new Problem(405, ctx.method() + " is not allowed on " + ctx.path(),
                    null)));
        });
    }

    /** Loads the bundle at {@code model} and starts listening; the caller closes it. */
    public static Server start(Path model, ServeOptions options) {
        Server s = new Server(model, options);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            s.batcher.close();
            s.responders.shutdown();
            s.log.close();
            s.slot.close();
            throw new dev.tuneup.TuneupException("cannot listen on " + options.host() + ":" + options.port() + ": "
                    + e.getMessage(), "choose another --port (0 picks a free one) or stop what listens there", e);
        }
        s.ready = true;
        return s;
    }

    public int port() {
        return app.port();
    }

    /** The version the server answers with now. */
    public String version() {
        return slot.peek().version();
    }

    private void register(ServedModel m) {
        log.model(m.version(), m.dir().toString(), m.info().classes(), DriftWatch.profileJson(m.info()));
        drift.reference(m.version(), m.info());
    }

    private void predict(Context ctx) {
        ServedModel m = slot.peek();
        var pre = m.info().preprocessing();
        List<byte[]> encoded = Inputs.read(ctx, options);
        int top = Math.min(options.topK(), intParam(ctx, "top", options.topK()));
        batcher.admit(encoded.size());
        LoadOptions lo = LoadOptions.defaults().withChannels(pre.channels()).withMaxPixels(options.maxPixels());
        List<byte[]> pixels = new ArrayList<>(encoded.size());
        try {
            for (int i = 0; i < encoded.size(); i++) {
                Image im = ImageDecoder.decode(encoded.get(i), "image " + i, lo, pre.height(), pre.width());
                pixels.add(im.pixels());
            }
        } catch (DataException e) {
            batcher.abandon(encoded.size());
            throw new Problem(400, e.getMessage(), e.fix());
        } catch (RuntimeException e) {
            batcher.abandon(encoded.size());
            throw e;
        }
        List<CompletableFuture<Batcher.Answer>> answers = batcher.submit(pixels);
        // the answer is built off the batch worker, so the next forward pass starts at once
        ctx.future(() -> CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).handleAsync((v, err) -> {
            if (err != null) {
                problem(ctx, err instanceof CompletionException ce ? ce.getCause() : err);
                return null;
            }
            long now = System.currentTimeMillis();
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                Batcher.Answer a = answers.get(i).join();
                out.add(answer(a, encoded.get(i), top, now));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model_version", answers.get(0).join().version());
            body.put("predictions", out);
            json(ctx, 200, body);
            return null;
        }, responders));
    }

    private Map<String, Object> answer(Batcher.Answer a, byte[] encoded, int top, long now) {
        Predictor.Prediction best = Predictor.top(a.probabilities(), a.classes(), top);
        List<Map<String, Object>> topList = new ArrayList<>();
        for (int i = 0; i < best.ids().length; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("class", best.classes().get(i));
            e.put("probability", best.probabilities()[i]);
            topList.add(e);
        }
        String id = UUID.randomUUID().toString();
        String name = best.classes().get(0);
        float confidence = best.probabilities()[0];
        metrics.predictions.labelValues(name).inc();
        metrics.confidence.observe(confidence);
        drift.add(a.version(), best.ids()[0], confidence);
        try {
            log.log(new PredictionLog.Row(id, now, AtomicFolder.sha256(encoded), encoded, a.version(), name, confidence,
                    JSON.writeValueAsString(topList)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("model_version", a.version());
        m.put("top", topList);
        return m;
    }

    private void feedback(Context ctx) throws java.sql.SQLException {
        Map<?, ?> body;
        try {
            body = JSON.readValue(ctx.bodyAsBytes(), Map.class);
        } catch (java.io.IOException e) {
            throw new Problem(400, "the feedback body is not a JSON object", "send {\"prediction_id\": \"<id from"
                    + " /v1/predict>\", \"correct_label\": \"<class>\"}");
        }
        Object id = body.get("prediction_id");
        Object label = body.get("correct_label");
        if (!(id instanceof String sid) || !(label instanceof String slabel)) {
            throw new Problem(400, "the feedback needs string fields prediction_id and correct_label",
                    "send {\"prediction_id\": \"<id from /v1/predict>\", \"correct_label\": \"<class>\"}");
        }
        try {
            UUID.fromString(sid);
        } catch (IllegalArgumentException e) {
            throw new Problem(400, "prediction_id '" + clip(sid) + "' is not a prediction id",
                    "use the id that /v1/predict returned");
        }
        log.flush(); // the prediction may still be in the writer's queue
        List<String> classes = log.classesOf(sid);
        if (classes == null) {
            throw new Problem(404, "no prediction has id " + sid, "use an id that this server's /v1/predict returned");
        }
        if (!classes.contains(slabel)) {
            String near = dev.tuneup.spec.Spelling.closest(classes, slabel);
            throw new Problem(400, "correct_label '" + clip(slabel) + "' is not a class of the model"
                    + (near == null ? "" : "; did you mean '" + near + "'?"), "classes: " + classes);
        }
        PredictionLog.FeedbackResult r = log.feedback(sid, slabel).join();
        switch (r) {
            case UNKNOWN_PREDICTION -> throw new Problem(404, "no prediction has id " + sid, null);
            case ALREADY_GIVEN -> throw new Problem(409, "prediction " + sid + " already has feedback",
                    "each prediction takes one correction");
            case STORED -> {
                metrics.feedback.inc();
                json(ctx, 201, Map.of("prediction_id", sid, "correct_label", slabel));
            }
        }
    }

    private void ready(Context ctx) {
        if (ready) {
            json(ctx, 200, Map.of("status", "ready", "model_version", version()));
        } else {
            problem(ctx, new Problem(503, "not ready (starting or draining)", null, Map.of("Retry-After", "1")));
        }
    }

    private synchronized void reload(Context ctx) {
        if (options.adminToken() == null) {
            throw new Problem(404, "the admin API is off", "start the server with --admin-token-file to enable it");
        }
        if (!loopback(ctx.req().getRemoteAddr())) {
            throw new Problem(403, "the admin API answers loopback clients only", "call it from the server's machine");
        }
        String auth = ctx.header("Authorization");
        byte[] given = auth == null ? new byte[0] : auth.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] want = ("Bearer " + options.adminToken()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, want)) {
            throw new Problem(401, "missing or wrong admin token", "send Authorization: Bearer <token>");
        }
        ServedModel next;
        try {
            next = ServedModel.load(modelPath, options.maxBatch());
        } catch (dev.tuneup.TuneupException e) {
            throw new Problem(409, "the bundle at " + modelPath + " cannot be loaded, still serving " + version()
                    + ": " + e.getMessage(), e.fix());
        }
        var a = slot.peek().info().preprocessing();
        var b = next.info().preprocessing();
        if (a.height() != b.height() || a.width() != b.width() || a.channels() != b.channels()) {
            next.release();
            throw new Problem(409, "the new bundle takes " + b.height() + "x" + b.width() + "x" + b.channels()
                    + " images, the served one " + a.height() + "x" + a.width() + "x" + a.channels(),
                    "restart the server to change the input size");
        }
        register(next);
        String previous = slot.swap(next);
        json(ctx, 200, Map.of("previous", previous, "current", next.version()));
    }

    private static boolean loopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress(); // a literal: no name lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private void observe(Context ctx, float ms) {
        String path = ctx.path();
        String endpoint = switch (path) {
            case "/v1/predict", "/v1/feedback", "/health", "/ready", "/metrics", "/admin/reload" -> path;
            default -> "other";
        };
        int status = ctx.statusCode();
        metrics.requests.labelValues(endpoint, Integer.toString(status)).inc();
        metrics.latency.labelValues(endpoint, Integer.toString(status)).observe(ms / 1000.0);
    }

    private void problem(Context ctx, Throwable t) {
        Problem p = t instanceof Problem pr ? pr
                : new Problem(500, "internal error: " + t, "report this as a bug with the server log");
        if (p.status() >= 500 && p.status() != 503) {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), t);
        }
        metrics.rejections.labelValues(reason(p)).inc();
        p.headers().forEach(ctx::header);
        try {
            ctx.status(p.status()).contentType("application/problem+json").result(JSON.writeValueAsBytes(p.body()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String reason(Problem p) {
        return switch (p.status()) {
            case 503 -> p.getMessage().contains("deadline") ? "deadline" : "queue_full";
            case 413 -> "too_large";
            case 415 -> "unsupported_type";
            case 400 -> "bad_request";
            default -> "other";
        };
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int intParam(Context ctx, String name, int dflt) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error
        }
        throw new Problem(400, "query parameter " + name + "='" + clip(v) + "' is not a positive integer", null);
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /**
     * Stops accepting connections, answers every request already in (their images are queued or
     * running), then stops the batch workers and closes the log and the model.
     */
    @Override
    public void close() {
        ready = false;
        app.stop();
        batcher.close();
        responders.shutdown();
        log.close();
        slot.close();
    }
}
