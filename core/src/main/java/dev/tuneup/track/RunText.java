package dev.tuneup.track;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Run records as terminal text: the list, one run in full, and a comparison of several. */
public final class RunText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private RunText() {
    }

    /** One line per run: id, kind, status, start time, headline numbers, parent. */
    public static String list(List<RunRecord> runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "KIND", "STATUS", "CREATED", "RESULT", "PARENT"});
        for (RunRecord r : runs) {
            rows.add(new String[] {r.id(), r.kind().id(), r.status().id(), TIME.format(r.created()), headline(r),
                    Objects.toString(r.parent(), "")});
        }
        return table(rows) + runs.size() + " run" + (runs.size() == 1 ? "" : "s") + "\n";
    }

    /** The numbers that say most about a run of its kind. */
    static String headline(RunRecord r) {
        List<String> keys = switch (r.kind()) {
            case EVAL -> List.of("accuracy", "ece", "mean_corruption_accuracy");
            case REPAIR -> List.of("accepted", "test_accuracy_before", "test_accuracy_after");
            case LABEL_ISSUES -> List.of("label_issues", "estimated_noise");
            case LR_FIND -> List.of("lr_valley");
            default -> List.of("epochs", "val_acc", "test_accuracy");
        };
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            Double v = r.metrics().get(k);
            if (v != null) {
                out.add(k + " " + number(k, v));
            }
        }
        return String.join(", ", out);
    }

    /**
     * Everything the record holds, one fact a line; of the config only the keys whose values differ
     * from {@code defaults} (all keys when it is empty).
     */
    public static String show(RunRecord r, Map<String, String> defaults) {
        StringBuilder sb = new StringBuilder();
        sb.append("run      ").append(r.id()).append('\n');
        sb.append("folder   ").append(r.dir()).append('\n');
        sb.append("kind     ").append(r.kind().id()).append('\n');
        sb.append("status   ").append(r.status().id()).append(r.detail().isEmpty() ? "" : " (" + r.detail() + ")")
                .append('\n');
        sb.append("created  ").append(TIME.format(r.created())).append('\n');
        if (r.ended() != null) {
            sb.append("ended    ").append(TIME.format(r.ended())).append(String.format(Locale.ROOT, " (%.1f s)",
                    (r.ended().toEpochMilli() - r.created().toEpochMilli()) / 1000.0)).append('\n');
        }
        sb.append("lineage").append(r.lineage().isEmpty() ? "  none\n" : "\n");
        for (Lineage l : r.lineage()) {
            sb.append(String.format(Locale.ROOT, "  %-10s %s%s%n", l.relation(), l.path(), l.run() == null ? ""
                    : "  (run " + l.run() + ")"));
        }
        sb.append("metrics").append(r.metrics().isEmpty() ? "  none\n" : "\n");
        r.metrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-28s %s%n", k, number(k, v))));
        Map<String, String> changed = new java.util.TreeMap<>(r.config());
        changed.entrySet().removeIf(e -> e.getValue().equals(defaults.get(e.getKey())));
        sb.append("config").append(r.config().isEmpty() ? "   none\n" : defaults.isEmpty() ? "\n"
                : " (" + changed.size() + " of " + r.config().size() + " keys differ from the defaults; --json has all)\n");
        changed.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-28s %s%n", k, shown(v))));
        sb.append("files    ").append(String.join(" ", r.artefacts())).append('\n');
        return sb.toString();
    }

    /** The config keys whose values differ, then every metric, one column per run. */
    public static String compare(List<RunRecord> runs) {
        List<String> head = new ArrayList<>(List.of("CONFIG (differing keys)"));
        runs.forEach(r -> head.add(r.name()));
        List<String[]> config = new ArrayList<>();
        config.add(head.toArray(String[]::new));
        differing(runs).forEach((k, values) -> {
            List<String> row = new ArrayList<>(List.of(k));
            values.forEach(v -> row.add(shown(v)));
            config.add(row.toArray(String[]::new));
        });
        head.set(0, "METRIC");
        List<String[]> metrics = new ArrayList<>();
        metrics.add(head.toArray(String[]::new));
        TreeSet<String> keys = new TreeSet<>();
        runs.forEach(r -> keys.addAll(r.metrics().keySet()));
        for (String k : keys) {
            List<String> row = new ArrayList<>(List.of(k));
            runs.forEach(r -> row.add(r.metrics().containsKey(k) ? number(k, r.metrics().get(k)) : "-"));
            metrics.add(row.toArray(String[]::new));
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            RunRecord r = runs.get(i);
            sb.append(String.format(Locale.ROOT, "%s: %s, %s%s%n", r.name(), r.kind().id(), r.status().id(),
                    r.id().equals(r.name()) ? "" : " (" + r.id() + ")"));
        }
        sb.append('\n').append(config.size() == 1 ? "CONFIG: no key differs\n" : table(config)).append('\n');
        return sb.append(table(metrics)).toString();
    }

    /** Config key to each run's value ("-" when a run lacks it), for keys where the runs differ. */
    public static Map<String, List<String>> differing(List<RunRecord> runs) {
        TreeSet<String> keys = new TreeSet<>();
        runs.forEach(r -> keys.addAll(r.config().keySet()));
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String k : keys) {
            List<String> values = runs.stream().map(r -> r.config().getOrDefault(k, "-")).toList();
            if (values.stream().distinct().count() > 1) {
                out.put(k, values);
            }
        }
        return out;
    }

    /** An empty config value as {@code ""}, so a column shows it. */
    private static String shown(String v) {
        return v.isEmpty() ? "\"\"" : v;
    }

    /** Counts as integers; rates, losses and accuracies (even 1.0) with four decimals. */
    static String number(String key, double v) {
        boolean count = key.equals("epochs") || key.equals("accepted") || key.equals("label_issues");
        if (count && v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String.format(Locale.ROOT, "%.4f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String table(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + width[i] + "s", r[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
