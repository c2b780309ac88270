package dev.tuneup.workflow;

import dev.tuneup.track.Lineage;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.RunStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A serving session as a run: {@code <runs>/<time>-serve/} with session.json (model, version, address,
 * log), its lineage edge {@code serves} to the bundle (a symbolic link resolved to the folder it named at
 * start), status running while it serves and finished when it stops, so {@code tuneup runs list} shows
 * what was served when.
 */
public final class ServeRun implements AutoCloseable {
    private final RunDir dir;
    private final String said;

    private ServeRun(RunDir dir, String said) {
        this.dir = dir;
        this.said = said;
    }

    /** Registers the session now serving {@code model} (version {@code version}) at {@code address}. */
    public static ServeRun start(Path runs, Path model, String version, String address, String log) {
        Path target;
        try {
            target = model.toRealPath();
        } catch (IOException e) {
            target = model;
        }
        RunDir d = RunDir.create(runs, "serve");
        d.begin(RunKind.SERVE, List.of(Lineage.to(Lineage.SERVES, target)));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", model.toAbsolutePath().toString());
        s.put("model_version", version);
        s.put("address", address);
        s.put("log", log);
        d.writeJson("session.json", s);
        return new ServeRun(d, "served " + version + " at " + address);
    }

    public Path path() {
        return dir.path();
    }

    /** The session ended (drained and stopped). */
    @Override
    public void close() {
        dir.end(RunStatus.FINISHED, said, Map.of(), List.of());
    }
}
