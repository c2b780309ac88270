package dev.tuneup.workflow;

import dev.tuneup.track.Lineage;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.RunStatus;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one place a workflow's run is registered: {@link RunDir#begin} before its body, {@link RunDir#end}
 * after it, with the status and numbers its result gives, or {@code failed} and the error's message when
 * it throws (the error goes on unchanged).
 */
final class Tracked {
    private Tracked() {
    }

    /** A workflow's body. */
    interface Body<T, E extends Exception> {
        T run() throws E;
    }

    /** How a run ended: its status, a line saying why, numbers to record and lineage edges it produced. */
    record Outcome(RunStatus status, String detail, Map<String, Double> metrics, List<Lineage> more) {
        static Outcome finished(String detail) {
            return new Outcome(RunStatus.FINISHED, detail, Map.of(), List.of());
        }
    }

    static <T, E extends Exception> T run(RunDir dir, RunKind kind, List<Lineage> from, Body<T, E> body,
                                          Function<T, Outcome> outcome) throws E {
        dir.begin(kind, from);
        T result;
        Outcome o;
        try {
            result = body.run();
            o = outcome.apply(result);
        } catch (Exception | Error e) {
            dir.end(RunStatus.FAILED, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), Map.of(),
                    List.of());
            throw e;
        }
        dir.end(o.status(), o.detail(), o.metrics(), o.more());
        return result;
    }
}
