package dev.tuneup.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** Writes the server's answers: JSON bodies, and problem bodies (RFC 9457) counted by reason of refusal. */
final class Responses {
    static final ObjectMapper JSON = new ObjectMapper();
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

    private static String reason(Problem p) {
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
