package dev.tuneup.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trial of a study as stored: its number (0..), state, sampled values (inactive conditional keys
 * absent), the objective (the best monitored validation value over its epochs; NaN while running or
 * when it failed before one epoch), the monitored value after each epoch, its wall time in seconds
 * and a note (why it was pruned or how it failed).
 */
public record Trial(int number, State state, Map<String, Object> params, double value, List<Double> intermediate,
                    double seconds, String note) {
    /** RUNNING trials found when a study is reopened were interrupted and run again; the others never are. */
    public enum State {
        RUNNING, COMPLETE, PRUNED, FAILED;

        public boolean finished() {
            return this != RUNNING;
        }
    }

    public Trial {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        intermediate = List.copyOf(intermediate);
    }

    /** Epochs trained (values reported). */
    public int epochs() {
        return intermediate.size();
    }
}
