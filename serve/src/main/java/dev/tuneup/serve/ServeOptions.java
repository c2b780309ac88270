package dev.tuneup.serve;

import java.nio.file.Path;

/**
 * How {@code tuneup serve} runs. Defaults follow DJL Serving where it has one.
 *
 * @param host          address to bind; 127.0.0.1 by default, so nothing is reachable from outside unless asked
 * @param port          0 picks a free port
 * @param maxBatch      largest batch a worker runs (DJL Serving's {@code batch_size})
 * @param maxDelayMs    how long the first request of a batch waits for more ({@code max_batch_delay})
 * @param queueSize     queued images at most; beyond it requests get 503 with {@code Retry-After}
 * @param workers       batch workers; {@code workers * threads} never exceeds the cores
 * @param threads       libtorch intra-op threads per forward pass
 * @param timeoutMs     a queued image that cannot start within this is answered 503 instead of late
 * @param maxBodyBytes  larger bodies get 413
 * @param maxPixels     an image whose header declares more pixels gets 413 before it is decoded; 0 derives it
 *                      from the model's input size ({@link #maxPixelsFor})
 * @param maxImages     images in one JSON or multipart request at most
 * @param topK          classes returned per image unless {@code ?top=} asks for fewer
 * @param db            JDBC URL of the prediction log ({@code jdbc:sqlite:feedback.db} by default; {@code jdbc:postgresql://...} for a log several servers share)
 * @param imageStoreBytes cap on stored request images (kept for feedback); oldest without feedback go first
 * @param driftWindow   recent predictions the drift statistics look at
 * @param adminToken    token for {@code POST /admin/reload}; null keeps the admin API off
 * @param decodeBudgetBytes heap that decoding images may hold at once across all requests; each image is charged
 *                      its decode cost from its header before it is decoded; 0 takes a quarter of the
 *                      maximum heap ({@link #decodeBudget})
 */
public record ServeOptions(String host, int port, int maxBatch, int maxDelayMs, int queueSize, int workers, int threads,
                           int timeoutMs, long maxBodyBytes, long maxPixels, int maxImages, int topK, String db,
                           long imageStoreBytes, int driftWindow, String adminToken, long decodeBudgetBytes) {
    /**
     * The least pixel cap a model gets by default: 4096x4096 (16.8 megapixels, imgproxy's default
     * IMGPROXY_MAX_SRC_RESOLUTION), which admits phone and most camera photos sent as they are.
     */
    public static final long MIN_DERIVED_MAX_PIXELS = 4096L * 4096;
    /** By default an image may have this many times the model's input pixels, when that is above the floor. */
    public static final int DERIVED_PIXELS_PER_INPUT_PIXEL = 64;

    public ServeOptions {
        int cores = Runtime.getRuntime().availableProcessors();
        require(maxBatch >= 1 && maxBatch <= 1024, "max_batch", maxBatch, "1..1024");
        require(maxDelayMs >= 0 && maxDelayMs <= 10_000, "max_delay_ms", maxDelayMs, "0..10000");
        require(queueSize >= 1, "queue", queueSize, "at least 1");
        require(workers >= 1 && threads >= 1, "workers/threads", workers + "/" + threads, "at least 1 each");
        require((long) workers * threads <= cores, "workers x threads", workers * threads,
                "at most the " + cores + " cores, or forward passes fight over them");
        require(timeoutMs >= 1, "timeout_ms", timeoutMs, "at least 1");
        require(maxBodyBytes >= 1024, "max_body_bytes", maxBodyBytes, "at least 1024");
        require(maxPixels >= 0, "max_pixels", maxPixels, "at least 1, or 0 to derive it from the model's input size");
        require(decodeBudgetBytes == 0 || decodeBudgetBytes >= 1 << 20, "decode_budget_bytes", decodeBudgetBytes,
                "at least 1 MB, or 0 for a quarter of the heap");
        require(maxImages >= 1 && maxImages <= queueSize, "max_images", maxImages, "1..queue size");
        require(topK >= 1, "top_k", topK, "at least 1");
        require(driftWindow >= 10, "drift_window", driftWindow, "at least 10");
        require(imageStoreBytes >= 0, "image_store_bytes", imageStoreBytes, "0 or more");
        if (db == null || !db.startsWith("jdbc:")) {
            throw new IllegalArgumentException("db '" + db + "' is not a JDBC URL; use jdbc:sqlite:feedback.db"
                    + " or jdbc:postgresql://HOST:PORT/DB?user=USER");
        }
    }

    /**
     * Loopback only, port 8080, batches of up to 32 within 5 ms, a queue of 256, 1 worker with
     * {@link #defaultThreads} intra-op threads; the pixel cap derived from the model, the decode budget a
     * quarter of the heap.
     */
    public static ServeOptions defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServeOptions("127.0.0.1", 8080, 32, 5, 256, 1, defaultThreads(cores, 1), 1000, 8L << 20, 0, 64, 5,
                "jdbc:sqlite:" + Path.of("feedback.db"), 512L << 20, 1000, null, 0);
    }

    /**
     * Intra-op threads per worker unless {@code --threads} says: half the cores each worker could have, at
     * least 1. The other half reads requests, decodes their images and writes answers while a forward pass
     * runs, and a forward pass on a serving-sized batch gains little from more threads: on 2 cores one
     * thread served 23% (CNN) and 37% (ResNet-20) more requests at 16 clients than two (docs/benchmarks.md).
     */
    public static int defaultThreads(int cores, int workers) {
        return Math.max(1, cores / (2 * workers));
    }

    public ServeOptions withPort(int p) {
        return new ServeOptions(host, p, maxBatch, maxDelayMs, queueSize, workers, threads, timeoutMs, maxBodyBytes,
                maxPixels, maxImages, topK, db, imageStoreBytes, driftWindow, adminToken, decodeBudgetBytes);
    }

    public ServeOptions withHost(String h) {
        return new ServeOptions(h, port, maxBatch, maxDelayMs, queueSize, workers, threads, timeoutMs, maxBodyBytes,
                maxPixels, maxImages, topK, db, imageStoreBytes, driftWindow, adminToken, decodeBudgetBytes);
    }

    public ServeOptions withDb(String url) {
        return new ServeOptions(host, port, maxBatch, maxDelayMs, queueSize, workers, threads, timeoutMs, maxBodyBytes,
                maxPixels, maxImages, topK, url, imageStoreBytes, driftWindow, adminToken, decodeBudgetBytes);
    }

    public ServeOptions withAdminToken(String token) {
        return new ServeOptions(host, port, maxBatch, maxDelayMs, queueSize, workers, threads, timeoutMs, maxBodyBytes,
                maxPixels, maxImages, topK, db, imageStoreBytes, driftWindow, token, decodeBudgetBytes);
    }

    public ServeOptions withBatching(int batch, int delayMs, int queue, int timeout) {
        return new ServeOptions(host, port, batch, delayMs, queue, workers, threads, timeout, maxBodyBytes, maxPixels,
                Math.min(maxImages, queue), topK, db, imageStoreBytes, driftWindow, adminToken, decodeBudgetBytes);
    }

    public ServeOptions withLimits(long bodyBytes, long pixels, long storeBytes) {
        return new ServeOptions(host, port, maxBatch, maxDelayMs, queueSize, workers, threads, timeoutMs, bodyBytes,
                pixels, maxImages, topK, db, storeBytes, driftWindow, adminToken, decodeBudgetBytes);
    }

    public ServeOptions withDecodeBudget(long bytes) {
        return new ServeOptions(host, port, maxBatch, maxDelayMs, queueSize, workers, threads, timeoutMs, maxBodyBytes,
                maxPixels, maxImages, topK, db, imageStoreBytes, driftWindow, adminToken, bytes);
    }

    /**
     * The pixel cap for a model taking {@code height x width} images: {@link #maxPixels()} when given,
     * else the larger of 4096x4096 and 64 times the model's input pixels (so a 1024x1024 model still
     * takes 8192x8192 inputs, and a 32x32 one is not asked to decode 40-megapixel strips).
     */
    public long maxPixelsFor(int height, int width) {
        return maxPixels > 0 ? maxPixels
                : Math.max(MIN_DERIVED_MAX_PIXELS, (long) DERIVED_PIXELS_PER_INPUT_PIXEL * height * width);
    }

    /** The decode budget in bytes: {@link #decodeBudgetBytes()} when given, else a quarter of the maximum heap. */
    public long decodeBudget() {
        return decodeBudgetBytes > 0 ? decodeBudgetBytes : Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    private static void require(boolean ok, String name, Object value, String range) {
        if (!ok) {
            throw new IllegalArgumentException(name + " " + value + " is out of range: " + range);
        }
    }

    /** The admin token in {@code file} (null when there is no file): at least 16 characters, or a clear error. */
    public static String readToken(Path file) throws java.io.IOException {
        if (file == null) {
            return null;
        }
        String t = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (t.length() < 16) {
            throw new dev.tuneup.TuneupException("the admin token in " + file + " has " + t.length() + " characters",
                    "use at least 16 random characters, e.g. openssl rand -hex 16 > " + file);
        }
        return t;
    }
}
