package dev.tuneup.track;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one run folder holds, read by {@link RunReader} (the folder is the source of truth; the
 * {@link RunStore} keeps a copy of these records to list and filter them).
 *
 * @param id        the folder's path relative to the runs root, with '/' ({@code 20261203-091500-run},
 *                  or {@code 20261203-0915-run-repair/20261203-0916-candidate} for a nested run)
 * @param dir       the folder
 * @param created   when the run started (run.json, else provenance.json, else the folder's time)
 * @param ended     when it ended, or null (running, or not recorded)
 * @param detail    how it ended, in words (the stop reason, the gate's verdict, the error), may be empty
 * @param config    config.yaml flattened to dotted keys ({@code training.lr} to its text), empty without one
 * @param metrics   final numbers: the last epoch of metrics.csv ({@code val_acc}, ...), {@code epochs},
 *                  {@code best_val_acc}, test.json as {@code test_*}, eval.json's headline numbers, and
 *                  what the workflow recorded at its end (e.g. {@code accepted} 1 or 0)
 * @param artefacts the folder's files and sub-folders (folders end in '/'), hidden files left out
 * @param lineage   where the run came from and what it produced, in the order written
 */
public record RunRecord(String id, Path dir, RunKind kind, RunStatus status, Instant created, Instant ended,
                        String detail, Map<String, String> config, Map<String, Double> metrics, List<String> artefacts,
                        List<Lineage> lineage) {
    public RunRecord {
        config = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(config));
        metrics = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(metrics));
        artefacts = List.copyOf(artefacts);
        lineage = List.copyOf(lineage);
    }

    /** Reads the run in {@code dir}, ids relative to its runs root ({@link RunReader#rootOf}). */
    public static RunRecord read(Path dir) {
        return RunReader.read(RunReader.rootOf(dir), dir);
    }

    /** Reads the run in {@code dir}, ids relative to {@code root}. */
    public static RunRecord read(Path root, Path dir) {
        return RunReader.read(root, dir);
    }

    /** The run this one came from: the first lineage edge that names a run in the same store, or null. */
    public String parent() {
        return lineage.stream().filter(l -> l.run() != null && !l.relation().equals(Lineage.ACCEPTED))
                .map(Lineage::run).findFirst().orElse(null);
    }

    /** The folder's name (the last part of the id). */
    public String name() {
        return dir.getFileName().toString();
    }
}
