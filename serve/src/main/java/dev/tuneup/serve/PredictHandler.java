package dev.tuneup.serve;

import dev.tuneup.bundle.Predictor;
import dev.tuneup.data.DataException;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageDecoder;
import dev.tuneup.data.ImageHeader;
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

/**
 * {@code POST /v1/predict}: decodes images as the bundle says, batches them, answers top classes, logs each.
 *
 * <p>Every image's header is read before it is decoded: one that declares more than the pixel cap is
 * refused (413), and the rest are charged their decode cost against the {@link DecodeBudget} while they
 * decode, so the heap that decoding holds stays bounded however many requests arrive.
 */
final class PredictHandler implements Handler {
    /** How an image is decoded: {@link ImageDecoder#decode}; tests put a failing one here. */
    @FunctionalInterface
    interface Decoder {
        Image decode(byte[] bytes, String source, LoadOptions options, int height, int width);
    }

    private final ServeOptions options;
    private final long maxPixels;
    private final DecodeBudget budget;
    private final Decoder decoder;
    private final ModelSlot slot;
    private final Batcher batcher;
    private final PredictionLog log;
    private final ServeMetrics metrics;
    private final DriftWatch drift;
    private final ExecutorService responders;
    private final Responses responses;

    PredictHandler(ServeOptions options, long maxPixels, DecodeBudget budget, Decoder decoder, ModelSlot slot,
                   Batcher batcher, PredictionLog log, ServeMetrics metrics, DriftWatch drift, ExecutorService responders,
                   Responses responses) {
        this.options = options;
        this.maxPixels = maxPixels;
        this.budget = budget;
        this.decoder = decoder;
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
        List<CompletableFuture<Batcher.Answer>> answers;
        boolean handedOver = false;
        try {
            List<byte[]> pixels = decode(encoded, pre);
            handedOver = true; // submit settles the admission itself, whatever happens
            answers = batcher.submit(pixels);
        } finally {
            if (!handedOver) {
                batcher.abandon(encoded.size());
            }
        }
        // the answer is built off the batch worker, so the next forward pass starts at once
        ctx.future(() -> CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).handleAsync((v, err) -> {
            try {
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
            } catch (OutOfMemoryError e) {
                responses.problem(ctx, Responses.outOfMemory(ctx, e));
            }
            return null;
        }, responders));
    }

    /**
     * Every image checked from its header first (so a request whose last image is refused decodes
     * nothing), then each decoded while its cost is charged to the budget.
     */
    private List<byte[]> decode(List<byte[]> encoded, dev.tuneup.bundle.Preprocessing pre) {
        LoadOptions lo = pre.load(LoadOptions.defaults()).withMaxPixels(maxPixels);
        long[] costs = new long[encoded.size()];
        String[] what = new String[encoded.size()];
        for (int i = 0; i < encoded.size(); i++) {
            ImageHeader h = header(encoded.get(i), "image " + i);
            if (h.width() <= 0 || h.height() <= 0) {
                throw new Problem(400, "image " + i + " declares " + h.width() + "x" + h.height() + " pixels",
                        "send a real image");
            }
            if (h.pixels() > maxPixels) {
                throw tooManyPixels("image " + i, h, pre);
            }
            costs[i] = h.decodeBytes(pre.channels(), pre.height(), pre.width());
            what[i] = "image " + i + " (" + h.describe() + ")";
            budget.checkFits(costs[i], what[i]);
        }
        List<byte[]> pixels = new ArrayList<>(encoded.size());
        for (int i = 0; i < encoded.size(); i++) {
            DecodeBudget.Charge charge = budget.tryCharge(costs[i], what[i]);
            if (charge == null) {
                // this image and the ones after it wait for memory, not for a worker: not ahead of other requests
                batcher.stepAside(encoded.size() - i);
                try {
                    charge = budget.charge(costs[i], what[i], options.timeoutMs());
                } finally {
                    batcher.stepIn(encoded.size() - i);
                }
            }
            try (DecodeBudget.Charge c = charge) {
                pixels.add(decoder.decode(encoded.get(i), "image " + i, lo, pre.height(), pre.width()).pixels());
            } catch (DataException e) {
                throw problem(e);
            }
        }
        return pixels;
    }

    private static ImageHeader header(byte[] encoded, String name) {
        try {
            return ImageDecoder.header(encoded, name);
        } catch (DataException e) {
            throw problem(e);
        }
    }

    private static Problem problem(DataException e) {
        return new Problem(e.problem() == DataException.Problem.IMAGE_TOO_LARGE ? 413 : 400, e.getMessage(), e.fix());
    }

    private Problem tooManyPixels(String name, ImageHeader h, dev.tuneup.bundle.Preprocessing pre) {
        String limit = options.maxPixels() > 0 ? "the limit of " + maxPixels + " pixels (--max-pixels)"
                : "the limit of " + maxPixels + " pixels (by default the larger of 4096x4096 and 64 times the model's "
                + pre.height() + "x" + pre.width() + " input)";
        return new Problem(413, name + " declares " + h.describe() + ", " + h.pixels() + " pixels, above " + limit,
                "resize it before sending (the model sees " + pre.height() + "x" + pre.width() + "), or start the"
                + " server with --max-pixels " + h.pixels() + " if such images are genuine", Map.of(), "too_large");
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
