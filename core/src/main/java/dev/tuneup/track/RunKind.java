package dev.tuneup.track;

import java.util.Arrays;
import java.util.Locale;

/** What made a run folder: one value per workflow that writes one. {@link #id()} is the name in run.json and the store. */
public enum RunKind {
    TRAIN, FINETUNE, EVAL, ANALYZE, LABEL_ISSUES, REPAIR, TUNE, SERVE, LR_FIND, QUICKSTART, UNKNOWN;

    /** Lower case with dashes: {@code label-issues}, {@code lr-find}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind named {@code id}, or {@link #UNKNOWN}. */
    public static RunKind of(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst().orElse(UNKNOWN);
    }
}
