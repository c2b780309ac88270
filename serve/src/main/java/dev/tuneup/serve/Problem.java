package dev.tuneup.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the server refuses, mapped once to an RFC 9457 problem body
 * ({@code type, title, status, detail, fix}). Thrown by request parsing and handlers; the server
 * turns it into the response.
 */
public final class Problem extends RuntimeException {
    private final int status;
    private final String fix;
    private final Map<String, String> headers;
    private final String reason;

    public Problem(int status, String detail, String fix) {
        this(status, detail, fix, Map.of());
    }

    public Problem(int status, String detail, String fix, Map<String, String> headers) {
        this(status, detail, fix, headers, null);
    }

    /** @param reason the {@code tuneup_rejections_total} label; null derives it from the status */
    public Problem(int status, String detail, String fix, Map<String, String> headers, String reason) {
        super(detail);
        this.status = status;
        this.fix = fix;
        this.headers = Map.copyOf(headers);
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Why it was refused, for metrics; null when the status says it. */
    public String reason() {
        return reason;
    }

    /** The JSON body. */
    public Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "about:blank");
        m.put("title", title(status));
        m.put("status", status);
        m.put("detail", getMessage());
        if (fix != null) {
            m.put("fix", fix);
        }
        return m;
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
