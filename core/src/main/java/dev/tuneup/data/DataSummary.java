package dev.tuneup.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code tuneup data info} reports, computed once: per split the image count, count per class,
 * shape, per-channel mean/std and content hash; the class list; skipped files. Rendered as text
 * here and as JSON by Jackson (it is a plain record).
 */
public record DataSummary(String name, List<String> classes, List<SplitSummary> splits, List<SkippedFile> skipped) {

    /** One split's numbers. */
    public record SplitSummary(String split, int images, int height, int width, int channels,
                               Map<String, Integer> perClass, double[] mean, double[] std, String contentHash) {
    }

    public static DataSummary of(Dataset d) {
        List<SplitSummary> splits = new ArrayList<>();
        for (Map.Entry<String, ImageSet> e : d.splits().entrySet()) {
            ImageSet s = e.getValue();
            Map<String, Integer> perClass = new LinkedHashMap<>();
            int[] counts = s.classCounts();
            for (int c = 0; c < counts.length; c++) {
                perClass.put(s.classes().get(c), counts[c]);
            }
            DataStats st = DataStats.of(s);
            splits.add(new SplitSummary(e.getKey(), s.size(), s.height(), s.width(), s.channels(), perClass,
                    st.mean(), st.std(), s.contentHash()));
        }
        return new DataSummary(d.name(), d.classes(), splits, d.skipped());
    }

    /** A terminal table: one row per class, one column per split, then shape, mean/std and hash. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(": ").append(classes.size()).append(" classes\n");
        int w = Math.max(5, classes.stream().mapToInt(String::length).max().orElse(5));
        sb.append(String.format(Locale.ROOT, "  %-" + w + "s", "class"));
        splits.forEach(s -> sb.append(String.format(Locale.ROOT, " %9s", s.split())));
        sb.append('\n');
        for (int c = 0; c < classes.size(); c++) {
            String cls = classes.get(c);
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s", cls));
            splits.forEach(s -> sb.append(String.format(Locale.ROOT, " %9d", s.perClass().get(cls))));
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "  %-" + w + "s", "total"));
        splits.forEach(s -> sb.append(String.format(Locale.ROOT, " %9d", s.images())));
        sb.append('\n');
        for (SplitSummary s : splits) {
            sb.append(String.format(Locale.ROOT, "  %s: %dx%d, %d channel(s), mean %s, std %s, sha256 %s%n", s.split(),
                    s.height(), s.width(), s.channels(), fmt(s.mean()), fmt(s.std()), s.contentHash().substring(0, 16)));
        }
        if (!skipped.isEmpty()) {
            sb.append("  skipped ").append(skipped.size()).append(" bad file(s):\n");
            skipped.forEach(f -> sb.append("    ").append(f).append('\n'));
        }
        return sb.toString();
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", v[i]));
        }
        return sb.append(']').toString();
    }
}
