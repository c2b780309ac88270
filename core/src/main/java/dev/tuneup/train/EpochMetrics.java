package dev.tuneup.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers of one epoch. Validation values are NaN when there is no validation set.
 * {@code dataWait} is the fraction of the epoch's time the loop waited for batches.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAcc, double valLoss, double valAcc,
                           double valTop5, double lr, double imagesPerSecond, double dataWait, long skippedSteps) {
    /** The metric names a {@link Monitor} may watch, as written in configs and metrics.csv. */
    public static final List<String> NAMES = List.of("train_loss", "train_acc", "val_loss", "val_acc", "val_top5");

    public double get(String name) {
        return switch (name) {
            case "train_loss" -> trainLoss;
            case "train_acc" -> trainAcc;
            case "val_loss" -> valLoss;
            case "val_acc" -> valAcc;
            case "val_top5" -> valTop5;
            default -> throw new IllegalArgumentException("unknown metric '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    /** The record a {@link #row()} was made from (as read back from a checkpoint's JSON, NaN as text). */
    public static EpochMetrics of(Map<String, Object> row) {
        return new EpochMetrics((int) number(row, "epoch"), number(row, "train_loss"), number(row, "train_acc"),
                number(row, "val_loss"), number(row, "val_acc"), number(row, "val_top5"), number(row, "lr"),
                number(row, "images_per_s"), number(row, "data_wait"), (long) number(row, "skipped_steps"));
    }

    private static double number(Map<String, Object> row, String key) {
        Object v = row.get(key);
        return v instanceof Number n ? n.doubleValue() : v == null ? Double.NaN : Double.parseDouble(v.toString());
    }

    /** The rows of {@code history}, as metrics.csv and the training-curve chart take them. */
    public static List<Map<String, Object>> rows(List<EpochMetrics> history) {
        return history.stream().map(EpochMetrics::row).toList();
    }

    /** Column name to value, in metrics.csv order. */
    public Map<String, Object> row() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("train_loss", trainLoss);
        m.put("train_acc", trainAcc);
        m.put("val_loss", valLoss);
        m.put("val_acc", valAcc);
        m.put("val_top5", valTop5);
        m.put("lr", lr);
        m.put("images_per_s", imagesPerSecond);
        m.put("data_wait", dataWait);
        m.put("skipped_steps", skippedSteps);
        return m;
    }
}
