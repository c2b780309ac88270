package dev.tuneup.serve;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code POST /v1/feedback}: checks a correction against the logged prediction and stores it, once per prediction. */
final class FeedbackHandler implements Handler {
    private final PredictionLog log;
    private final ServeMetrics metrics;

    FeedbackHandler(PredictionLog log, ServeMetrics metrics) {
        this.log = log;
        this.metrics = metrics;
    }

    @Override
    public void handle(Context ctx) throws java.sql.SQLException {
        Map<?, ?> body;
        try {
            body = Responses.JSON.readValue(ctx.bodyAsBytes(), Map.class);
        } catch (java.io.IOException e) {
            throw new Problem(400, "the feedback body is not a JSON object", "send {\"prediction_id\": \"<id from"
                    + " /v1/predict>\", \"correct_label\": \"<class>\"}");
        }
        Object id = body.get("prediction_id");
        Object label = body.get("correct_label");
        if (!(id instanceof String sid) || !(label instanceof String slabel)) {
            throw new Problem(400, "the feedback needs string fields prediction_id and correct_label",
                    "send {\"prediction_id\": \"<id from /v1/predict>\", \"correct_label\": \"<class>\"}");
        }
        try {
            UUID.fromString(sid);
        } catch (IllegalArgumentException e) {
            throw new Problem(400, "prediction_id '" + Responses.clip(sid) + "' is not a prediction id",
                    "use the id that /v1/predict returned");
        }
        log.flush(); // the prediction may still be in the writer's queue
        List<String> classes = log.classesOf(sid);
        if (classes == null) {
            throw new Problem(404, "no prediction has id " + sid, "use an id that this server's /v1/predict returned");
        }
        if (!classes.contains(slabel)) {
            String near = dev.tuneup.spec.Spelling.closest(classes, slabel);
            throw new Problem(400, "correct_label '" + Responses.clip(slabel) + "' is not a class of the model"
                    + (near == null ? "" : "; did you mean '" + near + "'?"), "classes: " + classes);
        }
        PredictionLog.FeedbackResult r = log.feedback(sid, slabel).join();
        switch (r) {
            case UNKNOWN_PREDICTION -> throw new Problem(404, "no prediction has id " + sid, null);
            case ALREADY_GIVEN -> throw new Problem(409, "prediction " + sid + " already has feedback",
                    "each prediction takes one correction");
            case STORED -> {
                metrics.feedback.inc();
                Responses.json(ctx, 201, Map.of("prediction_id", sid, "correct_label", slabel));
            }
        }
    }
}
