package dev.tuneup.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns one run folder into a {@link RunRecord}. A folder with a run.json (every run since the store
 * exists) says its kind, status and lineage; an older folder is recognised by what it holds
 * (eval.json: eval, a {@code phase} column in metrics.csv: finetune, ...). Reading never fails on a
 * damaged file: what cannot be read is left out.
 */
public final class RunReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunReader() {
    }

    /** The record of the run in {@code dir}, its id and lineage relative to the runs root {@code root}. */
    public static RunRecord read(Path root, Path dir) {
        Path r = root.toAbsolutePath().normalize();
        Path d = dir.toAbsolutePath().normalize();
        RunJson j = RunJson.read(d);
        RunKind kind = j != null ? j.kind() : infer(d);
        RunStatus status;
        if (j != null && j.status() != RunStatus.RUNNING) {
            status = j.status();
        } else if (RunDir.isLocked(d)) {
            status = RunStatus.RUNNING;
        } else {
            status = j != null ? RunStatus.INTERRUPTED : inferStatus(kind, d);
        }
        Map<String, Double> metrics = RunFiles.metrics(d);
        if (j != null) {
            metrics.putAll(j.metrics());
        }
        List<Lineage> lineage = new ArrayList<>();
        Map<String, String> config = RunFiles.config(d);
        if (j != null) {
            j.lineage().forEach(l -> lineage.add(resolve(r, l)));
        } else if (kind == RunKind.FINETUNE && !config.getOrDefault("finetune.base", "").isEmpty()) {
            lineage.add(resolve(r, Lineage.to(Lineage.BASE, d.resolve(config.get("finetune.base")))));
        }
        for (Path up = d.getParent(); up != null && up.startsWith(r) && !up.equals(r); up = up.getParent()) {
            if (isRun(up)) {
                lineage.add(new Lineage(Lineage.PART_OF, up.toString(), id(r, up)));
                break;
            }
        }
        return new RunRecord(id(r, d), d, kind, status, created(j, d), j == null ? null : j.ended(),
                j == null ? "" : j.detail(), config, metrics, artefacts(d), lineage);
    }

    /**
     * The runs root of the run folder {@code dir}: the nearest folder above it holding a runs.db, else
     * the folder that holds its outermost enclosing run (a repair's candidate belongs to the repair's root).
     */
    public static Path rootOf(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        Path top = d;
        int n = 0;
        for (Path p = d.getParent(); p != null && n < 8; p = p.getParent(), n++) {
            if (Files.isRegularFile(p.resolve(RunStore.FILE))) {
                return p;
            }
            if (Files.isRegularFile(p.resolve(RunJson.FILE))) {
                top = p;
            }
        }
        return top.getParent() == null ? top : top.getParent();
    }

    /** Every run folder under {@code root} (nested runs too), in path order. */
    public static List<Path> find(Path root) {
        List<Path> out = new ArrayList<>();
        walk(root.toAbsolutePath().normalize(), 0, out);
        return out;
    }

    private static void walk(Path dir, int depth, List<Path> out) {
        if (depth > 5) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isDirectory).sorted().toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") || n.equals("bundle") || n.equals("checkpoints") || n.equals("phases")) {
                    continue;
                }
                if (isRun(p)) {
                    out.add(p);
                }
                walk(p, depth + 1, out);
            }
        } catch (IOException e) {
            // an unreadable folder holds no runs we can read
        }
    }

    /** A folder a tuneup workflow wrote: run.json, config.yaml, eval.json, analysis.json or study.db. */
    public static boolean isRun(Path dir) {
        for (String f : new String[] {RunJson.FILE, RunDir.CONFIG, "eval.json", "analysis.json", "study.db"}) {
            if (Files.isRegularFile(dir.resolve(f))) {
                return true;
            }
        }
        return false;
    }

    /** The edge with its run: the nearest folder at or above {@code path} under {@code root} that is a run. */
    private static Lineage resolve(Path root, Lineage l) {
        Path p;
        try {
            p = Path.of(l.path()).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return l;
        }
        for (Path q = p; q != null && q.startsWith(root) && !q.equals(root); q = q.getParent()) {
            if (isRun(q)) {
                return new Lineage(l.relation(), l.path(), id(root, q));
            }
        }
        return l;
    }

    static String id(Path root, Path dir) {
        return root.relativize(dir).toString().replace(java.io.File.separatorChar, '/');
    }

    private static RunKind infer(Path d) {
        String name = d.getFileName().toString();
        if (has(d, "study.db")) {
            return RunKind.TUNE;
        } else if (has(d, "eval.json")) {
            return RunKind.EVAL;
        } else if (has(d, "analysis.json")) {
            return RunKind.ANALYZE;
        } else if (has(d, "label-issues.csv")) {
            return RunKind.LABEL_ISSUES;
        } else if (name.endsWith("-repair")) {
            return RunKind.REPAIR;
        } else if (name.endsWith("-lr-find")) {
            return RunKind.LR_FIND;
        } else if (has(d, "summary.txt") && name.contains("quickstart")) {
            return RunKind.QUICKSTART;
        } else if (has(d, "finetune.json") || RunFiles.header(d).startsWith("phase,")) { // the phase plan, or metrics
            return RunKind.FINETUNE;
        }
        return has(d, RunDir.CONFIG) ? RunKind.TRAIN : RunKind.UNKNOWN;
    }

    private static RunStatus inferStatus(RunKind kind, Path d) {
        String done = switch (kind) {
            case TRAIN, FINETUNE -> "bundle";
            case EVAL -> "eval.json";
            case ANALYZE -> "analysis.json";
            case LABEL_ISSUES -> "label-issues.csv";
            case REPAIR -> "gate.txt";
            case TUNE -> "best.yaml";
            case QUICKSTART -> "summary.txt";
            case LR_FIND -> "lr-find.png";
            default -> null;
        };
        if (done != null && Files.exists(d.resolve(done))) {
            return RunStatus.FINISHED;
        }
        // checkpoints or a study's database: it can be resumed
        return kind == RunKind.TUNE || Files.isDirectory(d.resolve("checkpoints")) ? RunStatus.INTERRUPTED
                : RunStatus.FAILED;
    }

    private static Instant created(RunJson j, Path d) {
        if (j != null && j.started() != null) {
            return j.started();
        }
        try {
            JsonNode p = JSON.readTree(d.resolve("provenance.json").toFile());
            return Instant.parse(p.path("started").asText());
        } catch (IOException | RuntimeException e) {
            // no provenance: the folder's name, then its time
        }
        String name = d.getFileName().toString();
        if (name.length() >= 15) {
            try {
                return LocalDateTime.parse(name.substring(0, 15), STAMP).atZone(ZoneId.systemDefault()).toInstant();
            } catch (RuntimeException e) {
                // not a stamped name
            }
        }
        try {
            return Files.getLastModifiedTime(d).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static List<String> artefacts(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean has(Path d, String file) {
        return Files.exists(d.resolve(file));
    }
}
