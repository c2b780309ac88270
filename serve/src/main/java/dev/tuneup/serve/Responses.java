package dev.tuneup.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** Writes the server's answers: JSON bodies, and problem bodies (RFC 9457) counted by reason of refusal. */
final class Responses {
    static final ObjectMapper JSON = dev.tuneup.JsonFiles.MAPPER.copy()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    // failures are logged under the server's name, as operators filter on it
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Server.class);
    private final ServeMetrics metrics;

    Responses(ServeMetrics metrics) {
        this.metrics = metrics;
    }

    /** Answers {@code t} as a problem body: a {@link Problem} as it is, anything else as a logged 500. */
    void problem(Context ctx, Throwable t) {
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

    /**
     * The answer to an {@link OutOfMemoryError} caught at a handler's boundary: logged, answered 503
     * with Retry-After, and the server goes on serving (what the request held is garbage once its
     * stack has unwound).
     */
    static Problem outOfMemory(Context ctx, OutOfMemoryError e) {
        try {
            LOG.error("{} {} ran out of memory; answered 503 and still serving", ctx.method(), ctx.path(), e);
        } catch (OutOfMemoryError again) {
            // nothing more can be said; the 503 still goes out
        }
        return new Problem(503, "the server ran out of memory answering this request (" + e.getMessage() + ")",
                "retry after the Retry-After seconds; if it repeats, the operator can lower --decode-budget-mb or"
                + " give the server more heap (-Xmx)", java.util.Map.of("Retry-After", "1"), "out_of_memory");
    }

    /** A handler whose {@link OutOfMemoryError} is answered 503 instead of leaving it. */
    static io.javalin.http.Handler guarded(io.javalin.http.Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (OutOfMemoryError e) {
                throw outOfMemory(ctx, e);
            }
        };
    }

    private static String reason(Problem p) {
        if (p.reason() != null) {
            return p.reason();
        }
        return switch (p.status()) {
            case 503 -> p.getMessage().contains("deadline") ? "deadline" : "queue_full";
            case 413 -> "too_large";
            case 415 -> "unsupported_type";
            case 400 -> "bad_request";
            default -> "other";
        };
    }

    static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client's value, shortened for quoting in a problem detail. */
    static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
