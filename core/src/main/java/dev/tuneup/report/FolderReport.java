package dev.tuneup.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneup.report.ReportPage.Section;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sections of a folder's report, by its {@link ReportKind}, followed by what every kind shows:
 * lineage, config and provenance. A study's own sections come from its database, which this package
 * does not read: the caller passes them in.
 */
public final class FolderReport {
    private FolderReport() {
    }

    /** The page for {@code dir}; {@code extra} sections (a study's leaderboard) go first. */
    public static ReportPage page(Path dir, ReportKind kind, List<Section> extra, List<ReportPage.Link> lineage) {
        List<Section> sections = new ArrayList<>(extra);
        sections.addAll(own(dir, kind));
        if (lineage.size() > 1 || kind != ReportKind.STUDY && kind != ReportKind.QUICKSTART) {
            sections.add(Section.of("Lineage", new ReportPage.Chain(lineage)));
        }
        sections.addAll(common(dir));
        return new ReportPage(kind.id() + " report: " + dir.getFileName(), kind.id(), dir.toAbsolutePath().toString(),
                sections);
    }

    static List<Section> own(Path dir, ReportKind kind) {
        return switch (kind) {
            case TRAIN, FINETUNE -> RunSections.of(dir);
            case EVAL -> EvalSections.of(dir);
            case ANALYZE -> IssueSections.analysis(dir);
            case LABEL_ISSUES -> IssueSections.labelIssues(dir);
            case REPAIR -> repair(dir);
            case QUICKSTART -> quickstart(dir);
            case STUDY -> List.of();
        };
    }

    private static List<Section> repair(Path dir) {
        List<Section> out = new ArrayList<>(GateSections.of(dir));
        for (Path child : children(dir)) {
            if (child.getFileName().toString().endsWith("-candidate")) {
                prefixed(out, "Candidate", RunSections.of(child));
            }
        }
        return out;
    }

    /** The story's summary and data, then each step's own sections, titled by the step. */
    private static List<Section> quickstart(Path dir) {
        List<Section> out = new ArrayList<>();
        String summary = FolderFiles.text(dir.resolve("summary.txt"));
        java.util.Map<String, String> figures = new java.util.LinkedHashMap<>();
        for (Path child : children(dir)) {
            JsonNode test = FolderFiles.json(child.resolve("test.json"));
            if (test != null) {
                figures.put(step(child) + " test accuracy",
                        FolderFiles.num(test.get("accuracy")));
            }
        }
        out.add(Section.of("Summary", new ReportPage.Figures(figures), new ReportPage.Text(summary == null ? ""
                : summary)));
        JsonNode data = FolderFiles.json(dir.resolve("data.json"));
        if (data != null) {
            List<List<String>> rows = new ArrayList<>();
            data.path("splits").forEach(s -> rows.add(List.of(s.path("split").asText(), s.path("images").asText(),
                    s.path("height").asText() + "x" + s.path("width").asText() + "x" + s.path("channels").asText())));
            out.add(new Section("Data: " + data.path("name").asText(), List.of(new ReportPage.Table(
                    List.of("split", "images", "size"), rows), new ReportPage.Text("classes: " + data.path("classes")))));
        }
        EvalSections.picture(out, dir, "augment-preview.png", "Augmentation preview", "Each row: one image, then random draws");
        for (Path child : children(dir)) {
            ReportKind k;
            try {
                k = ReportKind.of(child);
            } catch (RuntimeException e) {
                continue; // the LR finder's folder and others a report does not describe
            }
            prefixed(out, step(child), own(child, k));
        }
        return out;
    }

    /** A step's folder name without its time stamp: "finetune", "scratch", "eval". */
    private static String step(Path child) {
        return child.getFileName().toString().replaceFirst("^\\d{8}-\\d{6}-", "");
    }

    private static void prefixed(List<Section> out, String prefix, List<Section> sections) {
        sections.forEach(s -> out.add(new Section(prefix + ": " + s.title(), s.blocks())));
    }

    /** Config, provenance (the folder's, else its bundle's, else that of the model it evaluated). */
    static List<Section> common(Path dir) {
        List<Section> out = new ArrayList<>();
        String config = FolderFiles.text(dir.resolve("config.yaml"));
        if (config != null) {
            out.add(Section.of("Config", new ReportPage.Text(config)));
        }
        String title = "Provenance";
        JsonNode prov = FolderFiles.json(dir.resolve("provenance.json"));
        if (prov == null) {
            prov = FolderFiles.json(dir.resolve("bundle").resolve("provenance.json"));
        }
        for (String file : new String[] {"eval.json", "analysis.json"}) {
            JsonNode json = prov == null ? FolderFiles.json(dir.resolve(file)) : null;
            if (json != null && json.hasNonNull("model")) {
                prov = FolderFiles.json(Path.of(json.get("model").asText()).resolve("provenance.json"));
                title = "Provenance of the model";
            }
        }
        if (prov != null) {
            List<List<String>> rows = new ArrayList<>();
            prov.fields().forEachRemaining((Map.Entry<String, JsonNode> e) -> rows.add(List.of(e.getKey(),
                    e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString())));
            out.add(Section.of(title, new ReportPage.Table(List.of("key", "value"), rows)));
        }
        return out;
    }

    private static List<Path> children(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
