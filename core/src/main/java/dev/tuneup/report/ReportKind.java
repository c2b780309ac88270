package dev.tuneup.report;

import dev.tuneup.TuneupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a folder holds, told by its files: the first kind whose marker file is present wins, so a
 * repair folder (gate.txt) is not mistaken for the run folders inside it.
 */
public enum ReportKind {
    STUDY("study.db"),
    QUICKSTART("summary.txt"),
    EVAL("eval.json"),
    ANALYZE("analysis.json"),
    LABEL_ISSUES("label-issues.csv"),
    REPAIR("splits.json"),
    FINETUNE("phases"),
    TRAIN("metrics.csv");

    private final String marker;

    ReportKind(String marker) {
        this.marker = marker;
    }

    /** The name users see: "label-issues", "finetune", ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The kind {@code dir}'s run.json names (what the workflow that wrote it recorded; a tune study is a
     * {@link #STUDY}), else the kind told by its files ({@link #detect}).
     */
    public static ReportKind of(Path dir) {
        com.fasterxml.jackson.databind.JsonNode run = FolderFiles.json(dir.resolve("run.json"));
        String id = run == null ? "" : run.path("kind").asText();
        for (ReportKind k : values()) {
            if (k.id().equals(id) || k == STUDY && id.equals("tune")) {
                return k;
            }
        }
        return detect(dir);
    }

    /** The kind of {@code dir}; a folder with none of the marker files is an error that names them. */
    public static ReportKind detect(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new TuneupException(dir + " is not a folder", "pass a run, eval, repair or study folder");
        }
        for (ReportKind k : values()) {
            if (Files.exists(dir.resolve(k.marker))) {
                return k == TRAIN && FolderFiles.finetuneBase(dir) != null ? FINETUNE : k;
            }
        }
        if (Files.isDirectory(dir.resolve("bundle")) && Files.isRegularFile(dir.resolve("config.yaml"))) {
            return TRAIN; // a run stopped before its first epoch ended
        }
        throw new TuneupException(dir + " holds none of the files a report reads (study.db, summary.txt, eval.json,"
                + " analysis.json, label-issues.csv, splits.json, phases/, metrics.csv)",
                "pass a folder tuneup wrote: a train or finetune run, eval, analyze, label-issues, repair, a tune study"
                        + " or a quickstart");
    }
}
