package dev.tuneup.serve;

import dev.tuneup.data.ImageDecoder;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code tuneup serve}: one bundle behind {@code POST /v1/predict}, {@code POST /v1/feedback},
 * {@code GET /health}, {@code /ready}, {@code /metrics} and, only when a token is configured and only
 * from loopback, {@code POST /admin/reload}. Errors are JSON problem bodies (RFC 9457). This class
 * wires the parts and owns their lifecycle; {@link PredictHandler}, {@link FeedbackHandler},
 * {@link AdminHandler} answer the endpoints and {@link Responses} writes bodies and problems.
 */
public final class Server implements AutoCloseable {
    private final ModelSlot slot;
    private final Batcher batcher;
    private final PredictionLog log;
    private final ServeMetrics metrics;
    private final Responses responses;
    private final Javalin app;
    private final java.util.concurrent.ExecutorService responders;
    private final DecodeBudget budget;
    private final long maxPixels;
    private volatile boolean ready;

    private Server(Path modelPath, ServeOptions o, PredictHandler.Decoder decoder) {
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads libtorch, before its thread count can be set
        ai.djl.pytorch.jni.JniUtils.setNumThreads(o.threads());
        ServedModel first = ServedModel.load(modelPath, o.maxBatch());
        this.slot = new ModelSlot(first);
        var pre = first.info().preprocessing(); // a reload keeps the input size, so the derived cap holds
        this.maxPixels = o.maxPixelsFor(pre.height(), pre.width());
        this.budget = new DecodeBudget(o.decodeBudget());
        this.log = new PredictionLog(o.db(), o.imageStoreBytes());
        this.metrics = new ServeMetrics();
        this.batcher = new Batcher(slot, o, metrics.batchSize::observe); // refusals are counted where they are answered
        metrics.gauge("tuneup_queue_depth", "images waiting for a batch worker", batcher::depth);
        metrics.gauge("tuneup_decode_budget_bytes", "heap that decoding images may hold at once (--decode-budget-mb)",
                budget::bytes);
        metrics.gauge("tuneup_decode_bytes_in_use", "decode cost of the images being decoded now", budget::inUse);
        metrics.gauge("tuneup_images_not_kept", "request images not stored for feedback (over --image-store-mb)",
                log::imagesNotKept);
        DriftWatch drift = new DriftWatch(o.driftWindow(), metrics);
        this.responders = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread t = new Thread(r, "tuneup-respond");
                    t.setDaemon(true);
                    return t;
                });
        this.responses = new Responses(metrics);
        AdminHandler admin = new AdminHandler(modelPath, o, slot, log, drift);
        admin.register(first);
        PredictHandler predict = new PredictHandler(o, maxPixels, budget, decoder, slot, batcher, log, metrics, drift, responders, responses);
        FeedbackHandler feedback = new FeedbackHandler(log, metrics);
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
            c.routes.post("/v1/predict", Responses.guarded(predict));
            c.routes.post("/v1/feedback", Responses.guarded(feedback));
            c.routes.get("/health", ctx -> Responses.json(ctx, 200, Map.of("status", "ok")));
            c.routes.get("/ready", this::ready);
            c.routes.get("/metrics", ctx -> ctx.contentType(ServeMetrics.contentType()).result(metrics.scrape()));
            c.routes.post("/admin/reload", Responses.guarded(admin));
            c.routes.exception(Problem.class, (e, ctx) -> responses.problem(ctx, e));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> responses.problem(ctx,
                    new Problem(e.getStatus(), e.getMessage(), null)));
            c.routes.exception(Exception.class, (e, ctx) -> responses.problem(ctx, e));
            c.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    responses.problem(ctx, new Problem(404, "no endpoint " + ctx.method() + " " + ctx.path(),
                            "the endpoints are POST /v1/predict, POST /v1/feedback, GET /health, /ready, /metrics"));
                }
            });
            c.routes.error(405, ctx -> responses.problem(ctx, new Problem(405, ctx.method() + " is not allowed on "
                    + ctx.path(), null)));
        });
    }

    /** Loads the bundle at {@code model} and starts listening; the caller closes it. */
    public static Server start(Path model, ServeOptions options) {
        return start(model, options, ImageDecoder::decode);
    }

    /** As {@link #start(Path, ServeOptions)} with another image decoder (tests inject failures here). */
    static Server start(Path model, ServeOptions options, PredictHandler.Decoder decoder) {
        Server s = new Server(model, options, decoder);
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

    /** The pixel cap in force: {@code --max-pixels}, or the one derived from the model's input size. */
    public long maxPixels() {
        return maxPixels;
    }

    /** The decode budget in force, in bytes. */
    public long decodeBudgetBytes() {
        return budget.bytes();
    }

    /** The most decode cost held at once since the start, in bytes. */
    long decodePeakBytes() {
        return budget.peak();
    }

    /** The version the server answers with now. */
    public String version() {
        return slot.peek().version();
    }

    private void ready(Context ctx) {
        if (ready) {
            Responses.json(ctx, 200, Map.of("status", "ready", "model_version", version()));
        } else {
            responses.problem(ctx, new Problem(503, "not ready (starting or draining)", null,
                    Map.of("Retry-After", "1")));
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
