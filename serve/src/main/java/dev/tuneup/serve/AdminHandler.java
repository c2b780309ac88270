package dev.tuneup.serve;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

/**
 * {@code POST /admin/reload} (token and loopback only): loads the bundle again and swaps it in when its
 * input size matches; also registers each served version with the log and drift watch.
 */
final class AdminHandler implements Handler {
    private final Path modelPath;
    private final ServeOptions options;
    private final ModelSlot slot;
    private final PredictionLog log;
    private final DriftWatch drift;

    AdminHandler(Path modelPath, ServeOptions options, ModelSlot slot, PredictionLog log, DriftWatch drift) {
        this.modelPath = modelPath;
        this.options = options;
        this.slot = slot;
        this.log = log;
        this.drift = drift;
    }

    /** Records {@code m} in the prediction log and makes its profile the drift reference for its version. */
    void register(ServedModel m) {
        log.model(m.version(), m.dir().toString(), m.info().classes(), DriftWatch.profileJson(m.info()));
        drift.reference(m.version(), m.info());
    }

    @Override
    public synchronized void handle(Context ctx) {
        if (options.adminToken() == null) {
            throw new Problem(404, "the admin API is off", "start the server with --admin-token-file to enable it");
        }
        if (!loopback(ctx.req().getRemoteAddr())) {
            throw new Problem(403, "the admin API answers loopback clients only", "call it from the server's machine");
        }
        String auth = ctx.header("Authorization");
        byte[] given = auth == null ? new byte[0] : auth.getBytes(StandardCharsets.UTF_8);
        byte[] want = ("Bearer " + options.adminToken()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, want)) {
            throw new Problem(401, "missing or wrong admin token", "send Authorization: Bearer <token>");
        }
        ServedModel next;
        try {
            next = ServedModel.load(modelPath, options.maxBatch());
        } catch (dev.tuneup.TuneupException e) {
            throw new Problem(409, "the bundle at " + modelPath + " cannot be loaded, still serving "
                    + slot.peek().version() + ": " + e.getMessage(), e.fix());
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
        Responses.json(ctx, 200, Map.of("previous", previous, "current", next.version()));
    }

    private static boolean loopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress(); // a literal: no name lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
