package dev.tuneup.workflow;

import dev.tuneup.TuneupException;
import dev.tuneup.report.FolderReport;
import dev.tuneup.report.HtmlReport;
import dev.tuneup.report.ReportKind;
import dev.tuneup.report.ReportPage;
import dev.tuneup.report.ReportPage.Section;
import dev.tuneup.tune.Objective;
import dev.tuneup.tune.Study;
import dev.tuneup.tune.StudyReport;
import dev.tuneup.tune.StudyRunner;
import dev.tuneup.tune.StudySettings;
import dev.tuneup.tune.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tuneup report}: one self-contained HTML page for a run, eval, analyze, label-issues, repair,
 * tune study or quickstart folder, its kind told by the files it holds (docs/reports.md).
 */
public final class ReportWorkflow {
    /** The report's name inside the folder when no {@code --out} is given. */
    public static final String FILE = "report.html";

    /** @param out the HTML file, or null for {@code <dir>/report.html} */
    public record Request(Path dir, Path out) {
    }

    public record Result(Path file, ReportKind kind, ReportPage page) {
    }

    private ReportWorkflow() {
    }

    public static Result run(Request q) throws IOException {
        Path dir = q.dir();
        if (Files.isRegularFile(dir) && dir.getFileName().toString().endsWith(".db")) {
            dir = dir.toAbsolutePath().getParent(); // a study named by its database
        }
        ReportKind kind = ReportKind.of(dir);
        List<Section> extra = kind == ReportKind.STUDY ? study(dir) : List.of();
        ReportPage page = FolderReport.page(dir, kind, extra, ReportLineage.of(dir));
        Path out = q.out() != null ? q.out() : dir.resolve(FILE);
        return new Result(HtmlReport.write(page, out), kind, page);
    }

    /** A study's numbers from its database, then its plots, best.yaml and final refit. */
    private static List<Section> study(Path dir) throws IOException {
        Path db = dir.resolve("study.db");
        List<Section> out = new ArrayList<>();
        try (Study st = Study.open(db)) {
            StudySettings set = StudySettings.of(st);
            if (set == null) {
                throw new TuneupException(db + " holds no study settings", "pass the folder tuneup tune wrote");
            }
            Objective objective = new Objective(set.metric(), set.maximize());
            List<Trial> all = st.trials();
            Trial best = StudyRunner.best(all, objective);
            Map<String, String> f = new LinkedHashMap<>();
            f.put("trials", String.valueOf(all.size()));
            f.put("complete", String.valueOf(all.stream().filter(t -> t.state() == Trial.State.COMPLETE).count()));
            f.put("pruned", String.valueOf(all.stream().filter(t -> t.state() == Trial.State.PRUNED).count()));
            f.put("best " + objective.metric(), best == null ? "-" : String.format(Locale.ROOT, "%.4f", best.value()));
            f.put("best trial", best == null ? "-" : String.valueOf(best.number()));
            out.add(new Section("Summary", List.of(new ReportPage.Figures(f), new ReportPage.Text(String.format(Locale.ROOT,
                    "sampler %s, pruner %s, seed %d, %d epochs per trial, objective %s (%s)", set.sampler(), set.pruner(),
                    set.seed(), set.epochs(), objective.metric(), objective.maximize() ? "max" : "min")))));
            List<List<String>> rows = new ArrayList<>();
            for (Trial t : all) {
                rows.add(List.of(String.valueOf(t.number()), t.state().name().toLowerCase(Locale.ROOT),
                        Double.isFinite(t.value()) ? String.format(Locale.ROOT, "%.4f", t.value()) : "-",
                        String.valueOf(t.epochs()), String.format(Locale.ROOT, "%.0f", t.seconds()),
                        StudyReport.values(t.params())));
            }
            out.add(Section.of("Trials", new ReportPage.Table(List.of("trial", "state", objective.metric(), "epochs",
                    "seconds", "parameters"), rows)));
            out.add(Section.of("Leaderboard", new ReportPage.Text(StudyReport.leaderboard(all, objective, set.epochs()))));
        }
        picture(out, dir.resolve("objective.png"), "Objective by trial", "Each trial's value, with the best so far");
        picture(out, dir.resolve("importance.png"), "Parameter importance", "Effect size of each key on the objective");
        text(out, dir.resolve("best.yaml"), "Best config");
        text(out, dir.resolve("final.json"), "Final refit on train+val");
        return out;
    }

    private static void picture(List<Section> out, Path png, String title, String caption) throws IOException {
        if (Files.isRegularFile(png)) {
            out.add(Section.of(title, new ReportPage.Picture(caption, Files.readAllBytes(png))));
        }
    }

    private static void text(List<Section> out, Path file, String title) throws IOException {
        if (Files.isRegularFile(file)) {
            out.add(Section.of(title, new ReportPage.Text(Files.readString(file))));
        }
    }
}
