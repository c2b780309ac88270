package dev.tuneup.serve;

import dev.tuneup.bundle.Predictor;
import dev.tuneup.data.DataException;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageDecoder;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.track.AtomicFolder;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/** {@code POST /v1/predict}: decodes images as the bundle says, batches them, answers top classes, logs each. */
final class PredictHandler implements Handler {
    private final ServeOptions options;
    private final ModelSlot slot;
    private final Batcher batcher;
    private final PredictionLog log;
    private final ServeMetrics metrics;
    private final DriftWatch drift;
    private final ExecutorService responders;
    private final Responses responses;

    PredictHandler(ServeOptions options, ModelSlot slot, Batcher batcher, PredictionLog log, ServeMetrics metrics,
                   DriftWatch drift, ExecutorService responders, Responses responses) {
        this.options = options;
        this.slot = slot;
        this.batcher = batcher;
        this.log = log;
        this.metrics = metrics;
        this.drift = drift;
        this.responders = responders;
        this.responses = responses;
    }

    @Override
    public void handle(Context ctx) {
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
                responses.problem(ctx, err instanceof CompletionException ce ? ce.getCause() : err);
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
            Responses.json(ctx, 200, body);
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
                    Responses.JSON.writeValueAsString(topList)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("model_version", a.version());
        m.put("top", topList);
        return m;
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
        throw new Problem(400, "query parameter " + name + "='" + Responses.clip(v) + "' is not a positive integer",
                null);
    }
}
