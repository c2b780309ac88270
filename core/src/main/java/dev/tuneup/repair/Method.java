package dev.tuneup.repair;

import dev.tuneup.TuneupException;
import java.util.Locale;

/** How {@link ConfidentLearning} turns the confident joint into a set of label issues. */
public enum Method {
    /**
     * cleanlab's default {@code prune_by_noise_rate}: for every off-diagonal cell (given i, true j) of the
     * calibrated confident joint, flag that many examples labelled i with the largest margin
     * {@code p_j - p_i} (JAIR 2021, §3.2, "Prune by Noise Rate").
     */
    PRUNE_BY_NOISE_RATE("prune_by_noise_rate"),
    /**
     * cleanlab's {@code confident_learning}: every example counted off the diagonal of the (uncalibrated)
     * confident joint, i.e. confidently in a class other than its given one (JAIR 2021, §3.2, "C_confusion"
     * with thresholds).
     */
    CONFIDENT_JOINT_OFFDIAG("confident_joint_offdiag");

    private final String id;

    Method(String id) {
        this.id = id;
    }

    /** The name used in configuration and reports. */
    public String id() {
        return id;
    }

    /** Parses {@link #id()} (case-insensitive); cleanlab's {@code confident_learning} also names the off-diagonal method. */
    public static Method parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("confident_learning")) {
            return CONFIDENT_JOINT_OFFDIAG;
        }
        for (Method m : values()) {
            if (m.id.equals(s)) {
                return m;
            }
        }
        throw new TuneupException("unknown label-issue method '" + text + "'",
                "use prune_by_noise_rate or confident_joint_offdiag");
    }

    @Override
    public String toString() {
        return id;
    }
}
