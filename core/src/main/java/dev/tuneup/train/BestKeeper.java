package dev.tuneup.train;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Keeps track of the best epochs by the session's {@link Monitor}: the best value and its step (for
 * {@code training.restore_best}) and each epoch's score (for keeping the top {@code keep_best}
 * checkpoints). A NaN score never counts as better and is never kept.
 */
final class BestKeeper implements FitListener {
    private final TrainingSession s;

    BestKeeper(TrainingSession session) {
        this.s = session;
    }

    /** The best value so far, or the value any real value beats. */
    static double best(TrainingSession s) {
        return Double.isNaN(s.pos.best) ? s.config.monitor().worst() : s.pos.best;
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        Monitor monitor = s.config.monitor();
        double value = m.get(monitor.metric());
        if (Double.isFinite(value)) {
            s.pos.scores.put(s.pos.step, value);
        }
        if (monitor.improved(value, best(s))) {
            s.pos.best = value;
            s.pos.bestStep = s.pos.step;
        }
    }

    /** The folders of the best {@code keepBest} epoch-end checkpoints (earlier wins a tie). */
    static List<Path> top(TrainingSession s) {
        Comparator<Map.Entry<Long, Double>> better = Map.Entry.comparingByValue();
        if (s.config.monitor().mode() == Monitor.Mode.MAX) {
            better = better.reversed();
        }
        return s.pos.scores.entrySet().stream()
                .sorted(better.thenComparing(Map.Entry.comparingByKey()))
                .limit(s.config.keepBest())
                .map(e -> s.checkpoints.dir().resolve(Checkpoints.name(e.getKey()))).toList();
    }

    /** Puts the best epoch's weights back; returns a note when they could not be read, else "". */
    static String restore(TrainingSession s) {
        if (s.pos.bestStep < 0 || s.pos.bestStep == s.pos.step) {
            return "";
        }
        Path best = s.checkpoints.dir().resolve(Checkpoints.name(s.pos.bestStep));
        try {
            s.loadModel(s.checkpoints.load(best, new java.util.ArrayList<>()).files().get("model.params"));
            return "";
        } catch (java.io.IOException | IllegalStateException e) {
            return "; the best weights could not be restored (" + e.getMessage() + ")";
        }
    }
}
