package dev.tuneup.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded data set: named splits ({@code train}, {@code val}, {@code test}, or {@code all} when the
 * source has no split levels) sharing one class list, plus the files skipped under
 * {@link BadFilePolicy#SKIP}.
 */
public record Dataset(String name, Map<String, ImageSet> splits, List<SkippedFile> skipped) {
    public static final String TRAIN = "train";
    public static final String VAL = "val";
    public static final String TEST = "test";
    public static final String ALL = "all";

    public Dataset {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one split");
        }
        splits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(splits));
        skipped = List.copyOf(skipped);
    }

    public boolean has(String split) {
        return splits.containsKey(split);
    }

    /** The named split; an unknown name fails listing the splits there are. */
    public ImageSet split(String split) {
        ImageSet s = splits.get(split);
        if (s == null) {
            throw new DataException(name, DataException.Problem.NOT_FOUND, "has no split '" + split
                    + "'", "use one of " + splits.keySet());
        }
        return s;
    }

    /** The class names, the same for every split. */
    public List<String> classes() {
        return splits.values().iterator().next().classes();
    }
}
