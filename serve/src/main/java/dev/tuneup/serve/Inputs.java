package dev.tuneup.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The encoded images of one predict request: a PNG/JPEG/BMP body, a multipart form of image files,
 * or JSON {@code {"images": ["<base64>", ...]}}. Only bytes are accepted; nothing in a request can
 * name a model, a file, a URL or a path.
 */
final class Inputs {
    static final String ACCEPTED = "image/png, image/jpeg, image/bmp, application/octet-stream, multipart/form-data"
            + " or application/json {\"images\": [base64, ...]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Inputs() {
    }

    static List<byte[]> read(Context ctx, ServeOptions o) {
        long declared = ctx.contentLength();
        if (declared > o.maxBodyBytes()) {
            drain(ctx, o);
            throw tooLarge(declared, o);
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        String base = type.split(";", 2)[0].trim();
        List<byte[]> images = switch (base) {
            case "image/png", "image/jpeg", "image/jpg", "image/bmp", "application/octet-stream" -> List.of(body(ctx, o));
            case "multipart/form-data" -> multipart(ctx, o);
            case "application/json" -> json(body(ctx, o), o);
            default -> throw new Problem(415, "content type '" + (type.isEmpty() ? "(none)" : type)
                    + "' cannot be predicted", "send " + ACCEPTED);
        };
        if (images.isEmpty()) {
            throw new Problem(400, "the request holds no image", "send " + ACCEPTED);
        }
        if (images.size() > o.maxImages()) {
            throw new Problem(413, images.size() + " images in one request, the limit is " + o.maxImages(),
                    "split the request");
        }
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).length == 0) {
                throw new Problem(400, "image " + i + " is empty (0 bytes)", "send the encoded image file's bytes");
            }
        }
        return images;
    }

    private static byte[] body(Context ctx, ServeOptions o) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, o.maxBodyBytes() + 1));
            if (b.length > o.maxBodyBytes()) {
                drain(ctx, o);
                throw tooLarge(-1, o);
            }
            return b;
        } catch (IOException e) {
            throw new Problem(400, "the request body could not be read: " + e.getMessage(), "send the whole body");
        }
    }

    private static List<byte[]> multipart(Context ctx, ServeOptions o) {
        List<UploadedFile> files;
        try {
            files = ctx.uploadedFiles();
        } catch (Exception e) { // Jetty's ServletException arrives unchecked through Kotlin
            String m = String.valueOf(e.getMessage());
            if (m.toLowerCase(Locale.ROOT).contains("exceed") || m.toLowerCase(Locale.ROOT).contains("too large")) {
                throw tooLarge(-1, o);
            }
            // Jetty drops the connection after a bad multipart body; saying so lets clients open a new one
            throw new Problem(400, "the multipart body cannot be read: " + m, "send a multipart/form-data body with"
                    + " one file part per image", java.util.Map.of("Connection", "close"));
        }
        List<byte[]> out = new ArrayList<>();
        for (UploadedFile f : files) {
            if (out.size() >= o.maxImages()) {
                throw new Problem(413, "more than " + o.maxImages() + " images in one request", "split the request");
            }
            try (InputStream in = f.content()) {
                out.add(in.readAllBytes());
            } catch (IOException e) {
                throw new Problem(400, "part '" + f.filename() + "' cannot be read: " + e.getMessage(), "send it again");
            }
        }
        return out;
    }

    private static List<byte[]> json(byte[] body, ServeOptions o) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new Problem(400, "the JSON body cannot be parsed: " + e.getMessage().lines().findFirst().orElse(""),
                    "send {\"images\": [\"<base64 of a PNG or JPEG>\", ...]}");
        }
        JsonNode arr = root == null ? null : root.get("images");
        if (arr == null || !arr.isArray()) {
            throw new Problem(400, "the JSON body has no \"images\" array", "send {\"images\": [\"<base64>\", ...]}");
        }
        if (arr.size() > o.maxImages()) {
            throw new Problem(413, arr.size() + " images in one request, the limit is " + o.maxImages(),
                    "split the request");
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode n = arr.get(i);
            if (!n.isTextual()) {
                throw new Problem(400, "images[" + i + "] is not a string", "each entry is the base64 of one image file");
            }
            try {
                out.add(Base64.getMimeDecoder().decode(n.asText()));
            } catch (IllegalArgumentException e) {
                throw new Problem(400, "images[" + i + "] is not valid base64: " + e.getMessage(),
                        "encode the image file's bytes with standard base64");
            }
        }
        return out;
    }

    /**
     * Reads and discards up to 4x the body limit, so a client that sends a somewhat oversized body
     * without {@code Expect: 100-continue} reads its 413 instead of a reset connection; beyond that
     * the connection is closed on it.
     */
    private static void drain(Context ctx, ServeOptions o) {
        try (InputStream in = ctx.req().getInputStream()) {
            long declared = ctx.contentLength();
            in.skipNBytes(declared < 0 ? 4 * o.maxBodyBytes() : Math.min(declared, 4 * o.maxBodyBytes()));
        } catch (IOException e) {
            // the client stopped sending or sent less than it declared: the 413 is all it gets either way
        }
    }

    private static Problem tooLarge(long declared, ServeOptions o) {
        return new Problem(413, "the request body" + (declared >= 0 ? " (" + declared + " bytes)" : "")
                + " is larger than the limit of " + o.maxBodyBytes() + " bytes", "send smaller images or fewer per request,"
                + " or start the server with a larger --max-body-mb", java.util.Map.of("Connection", "close"));
    }
}
