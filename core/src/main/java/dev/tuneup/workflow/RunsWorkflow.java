package dev.tuneup.workflow;

import dev.tuneup.TuneupException;
import dev.tuneup.report.Charts;
import dev.tuneup.spec.Spelling;
import dev.tuneup.track.RunFiles;
import dev.tuneup.track.RunFilter;
import dev.tuneup.track.RunReader;
import dev.tuneup.track.RunRecord;
import dev.tuneup.track.RunStatus;
import dev.tuneup.track.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tuneup runs}: the run store of a runs folder, listed, filtered, shown and compared. A folder
 * without a runs.db gets one built from its run folders first; runs the store still holds as running
 * are read again from their folders, so a run killed since shows as interrupted.
 */
public final class RunsWorkflow {
    /** Several runs side by side: the records, the config keys that differ and the curves' PNG (or null). */
    public record Comparison(List<RunRecord> runs, Map<String, List<String>> differing, Path png, List<String> notes) {
    }

    private RunsWorkflow() {
    }

    /** Every run under {@code root} that passes all {@code filters} (see {@link RunFilter}), oldest first. */
    public static List<RunRecord> list(Path root, List<String> filters) {
        List<RunRecord> all = all(root);
        List<RunRecord> out = new ArrayList<>(all);
        for (String text : filters) {
            RunFilter f = RunFilter.parse(text);
            f.check(all);
            out.removeIf(r -> !f.test(r));
        }
        return out;
    }

    /** The run {@code ref} names: its id, its folder's name, a folder path, or a part of its id only it has. */
    public static RunRecord show(Path root, String ref) {
        Path asPath = Path.of(ref);
        if (Files.isDirectory(asPath) && RunReader.isRun(asPath)) {
            Path r = asPath.toAbsolutePath().normalize().startsWith(root.toAbsolutePath().normalize()) ? root
                    : asPath.toAbsolutePath().normalize().getParent();
            return RunRecord.read(r, asPath);
        }
        List<RunRecord> all = all(root);
        for (java.util.function.Predicate<RunRecord> p : List.<java.util.function.Predicate<RunRecord>>of(
                r -> r.id().equals(ref), r -> r.name().equals(ref), r -> r.id().contains(ref))) {
            List<RunRecord> hits = all.stream().filter(p).toList();
            if (hits.size() == 1) {
                return hits.get(0);
            }
            if (hits.size() > 1) {
                throw new TuneupException("'" + ref + "' names " + hits.size() + " runs: " + hits.stream()
                        .map(RunRecord::id).limit(5).toList(), "give more of the id (tuneup runs list shows them)");
            }
        }
        throw new TuneupException("no run '" + ref + "' in " + root, all.isEmpty() ? "train a run first, or pass the"
                + " runs folder (tuneup runs list DIR)" : "did you mean " + Spelling.closest(all.stream()
                .map(RunRecord::id).toList(), ref) + "? tuneup runs list shows every run");
    }

    /**
     * The runs {@code refs} name, side by side, and their validation accuracy per epoch overlaid in
     * {@code png} (fine-tune phases follow each other on one axis). Runs without metrics.csv are in the
     * tables but not the chart.
     */
    public static Comparison compare(Path root, List<String> refs, Path png) throws IOException {
        if (refs.size() < 2) {
            throw new TuneupException("compare needs at least two runs, got " + refs.size(), "name two or more runs,"
                    + " e.g. tuneup runs compare RUN_A RUN_B");
        }
        List<RunRecord> runs = refs.stream().map(ref -> show(root, ref)).toList();
        Map<String, double[][]> series = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (RunRecord r : runs) {
            List<Map<String, Double>> h = RunFiles.history(r.dir());
            double[] x = h.stream().mapToDouble(m -> m.get("step")).toArray();
            double[] y = h.stream().mapToDouble(m -> m.getOrDefault("val_acc", Double.NaN)).toArray();
            if (java.util.Arrays.stream(y).anyMatch(Double::isFinite)) {
                series.put(series.containsKey(r.name()) ? r.id() : r.name(), new double[][] {x, y});
            } else {
                notes.add(r.id() + " has no validation accuracy per epoch (no metrics.csv): not in the chart");
            }
        }
        Path out = null;
        if (!series.isEmpty()) {
            out = png;
            Path parent = png.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Charts.scatterChart(png, "Validation accuracy", "epoch (fine-tune phases in sequence)", "val_acc", Map.of(),
                    series);
        }
        return new Comparison(runs, dev.tuneup.track.RunText.differing(runs), out, notes);
    }

    /** The default config flattened as runs show it ({@code training.lr} to its text), to show what a run changed. */
    public static Map<String, String> defaults() {
        return RunFiles.flatten(dev.tuneup.config.ConfigLoader.toYaml(dev.tuneup.config.ConfigLoader.load(null,
                List.of())));
    }

    /** Rebuilds runs.db under {@code root} from the folders; returns how many runs it holds. */
    public static int reindex(Path root) {
        requireFolder(root);
        return RunStore.rebuild(root);
    }

    private static List<RunRecord> all(Path root) {
        requireFolder(root);
        if (!Files.isRegularFile(root.resolve(RunStore.FILE))) {
            RunStore.rebuild(root);
        }
        try (RunStore store = RunStore.open(root)) {
            List<RunRecord> out = new ArrayList<>();
            for (RunRecord r : store.all()) {
                if (r.status() == RunStatus.RUNNING && Files.isDirectory(r.dir())) {
                    r = RunRecord.read(root, r.dir()); // may have ended, or died, since
                    store.put(r);
                }
                out.add(r);
            }
            return out;
        }
    }

    private static void requireFolder(Path root) {
        if (!Files.isDirectory(root)) {
            throw new TuneupException("no runs folder " + root.toAbsolutePath(), "pass the folder your runs are in"
                    + " (output.dir; default runs), e.g. tuneup runs list runs");
        }
    }
}
