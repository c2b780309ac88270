package dev.tuneup.repair;

import dev.tuneup.TuneupException;
import java.util.Locale;

/**
 * Label-quality score used to order label issues, as in cleanlab's {@code rank.get_label_quality_scores}:
 * a score in [0, 1] where lower means more likely mislabelled, so issues are listed in ascending order.
 */
public enum Ranking {
    /** {@code p[given]}, the predicted probability of the given label. */
    SELF_CONFIDENCE("self_confidence"),
    /**
     * {@code (p[given] - max_{j != given} p[j] + 1) / 2}: the margin of the given label over the best other
     * class, mapped from [-1, 1] to [0, 1] exactly as cleanlab does (the order is that of the raw margin).
     */
    NORMALIZED_MARGIN("normalized_margin");

    private final String id;

    Ranking(String id) {
        this.id = id;
    }

    /** The name used in configuration and reports. */
    public String id() {
        return id;
    }

    /** The score of one example whose predicted probabilities are {@code p} and whose given label is {@code given}. */
    public double score(float[] p, int given) {
        if (this == SELF_CONFIDENCE) {
            return p[given];
        }
        double other = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < p.length; j++) {
            if (j != given && p[j] > other) {
                other = p[j];
            }
        }
        return ((double) p[given] - other + 1.0) / 2.0;
    }

    /** Parses {@link #id()} (case-insensitive). */
    public static Ranking parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Ranking r : values()) {
            if (r.id.equals(s)) {
                return r;
            }
        }
        throw new TuneupException("unknown label-issue ranking '" + text + "'",
                "use self_confidence or normalized_margin");
    }

    @Override
    public String toString() {
        return id;
    }
}
