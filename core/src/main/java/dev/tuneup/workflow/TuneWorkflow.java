package dev.tuneup.workflow;

import dev.tuneup.TuneupException;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.RunStatus;
import dev.tuneup.tune.AshaPruner;
import dev.tuneup.tune.FinalFit;
import dev.tuneup.tune.MedianPruner;
import dev.tuneup.tune.Objective;
import dev.tuneup.tune.Pruner;
import dev.tuneup.tune.RandomSampler;
import dev.tuneup.tune.Sampler;
import dev.tuneup.tune.SearchSpace;
import dev.tuneup.tune.Study;
import dev.tuneup.tune.StudyReport;
import dev.tuneup.tune.StudyRunner;
import dev.tuneup.tune.StudySettings;
import dev.tuneup.tune.TpeSampler;
import dev.tuneup.tune.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tuneup tune}: a study over a search space (random or TPE sampling, median or ASHA pruning),
 * each trial a {@code train} process; resumable from its database. At the end: best.yaml, the plots,
 * and the best config refit on train+val and tested once.
 */
public final class TuneWorkflow {
    /** The sampler and pruner names a study may use. */
    public static final List<String> SAMPLERS = List.of("random", "tpe");
    public static final List<String> PRUNERS = List.of("none", "median", "asha");

    /**
     * A study to run or resume.
     *
     * @param config    the base run config file (null for the defaults) and {@code overrides} on it
     * @param epochs    epochs of each trial, or null for training.epochs
     * @param time      wall-clock limit of this session, or null
     * @param train     how to start {@code tuneup train} in a new process (java, class path, main class, "train")
     */
    public record Request(Path space, Path db, Path config, List<String> overrides, int trials, Duration time,
                          Integer epochs, String sampler, String pruner, int parallel, int tpeStartup, long seed,
                          boolean finalFit, List<String> train) {
    }

    private TuneWorkflow() {
    }

    /** Where a study lives: {@code --study} as a folder or .db file, or studies/<space name>/study.db. */
    public static Path database(Path study, Path space) {
        return study == null ? Path.of("studies", stem(space), "study.db")
                : study.toString().endsWith(".db") ? study : study.resolve("study.db");
    }

    /** Runs (or resumes) the study; returns false when the time limit ended it before the last trial. */
    public static boolean run(Request q, Reporter out) throws IOException, InterruptedException {
        return run(q, out, dev.tuneup.tune.TrialLauncher.LOCAL);
    }

    /** As above, each trial started by {@code launcher} (e.g. as a Spark task, {@link DistributedTrials}). */
    public static boolean run(Request q, Reporter out, dev.tuneup.tune.TrialLauncher launcher)
            throws IOException, InterruptedException {
        RunDir study = RunDir.at(q.db().toAbsolutePath().getParent());
        study.begin(RunKind.TUNE, List.of());
        boolean finished;
        try {
            finished = study(q, out, launcher);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            study.end(RunStatus.FAILED, String.valueOf(e.getMessage()), Map.of(), List.of());
            throw e;
        }
        study.end(finished ? RunStatus.FINISHED : RunStatus.STOPPED, finished ? "every trial ran"
                : "time limit reached; run the same command to continue", Map.of(), List.of());
        return finished;
    }

    private static boolean study(Request q, Reporter out, dev.tuneup.tune.TrialLauncher launcher)
            throws IOException, InterruptedException {
        Path db = q.db();
        Path dir = db.toAbsolutePath().getParent();
        RunConfig base = ConfigLoader.load(q.config(), q.overrides());
        int perTrial = q.epochs() == null ? base.training().epochs() : q.epochs();
        SearchSpace searchSpace = SearchSpace.load(q.space(), q.config(), q.overrides());
        Objective objective = new Objective(base.training().monitor(), base.training().monitorMode().equals("max"));
        Sampler s = switch (q.sampler()) {
            case "random" -> new RandomSampler(q.seed());
            case "tpe" -> new TpeSampler(q.seed(), objective, q.tpeStartup(), 24);
            default -> throw new TuneupException("sampler " + q.sampler() + " is unknown", "use random or tpe");
        };
        Pruner p = switch (q.pruner()) {
            case "none" -> Pruner.NONE;
            case "median" -> new MedianPruner(objective);
            case "asha" -> new AshaPruner(objective);
            default -> throw new TuneupException("pruner " + q.pruner() + " is unknown", "use none, median or asha");
        };
        String baseYaml = ConfigLoader.toYaml(base);
        String samplerName = q.sampler().equals("tpe") ? "tpe(startup=" + q.tpeStartup() + ")" : q.sampler();
        try (Study st = Study.open(db)) {
            new StudySettings(Files.readString(q.space()), baseYaml, objective.metric(), objective.maximize(), samplerName,
                    q.pruner(), q.seed(), perTrial).bind(st);
            Path baseFile = dir.resolve("base.yaml");
            Files.writeString(baseFile, baseYaml);
            out.line(String.format(Locale.ROOT, "study %s: %d trials of %d epochs, sampler %s, pruner %s, objective %s"
                    + " (%s)", db, q.trials(), perTrial, samplerName, p == Pruner.NONE ? "none" : p, objective.metric(),
                    objective.maximize() ? "max" : "min"));
            int done = (int) st.trials().stream().filter(t -> t.state().finished()).count();
            if (done > 0) {
                out.line(String.format(Locale.ROOT, "resuming: %d trials finished earlier are kept", done));
            }
            List<String> trialCommand = new ArrayList<>(q.train());
            trialCommand.addAll(List.of("--config", baseFile.toString()));
            StudyRunner.Outcome outcome = new StudyRunner(st, searchSpace, objective, s, p,
                    new StudyRunner.Budget(q.trials(), q.time(), perTrial, q.parallel()), dir, trialCommand,
                    new Lines(out, objective), launcher).run();
            List<Trial> all = st.trials();
            StudyReport.Compute c = StudyReport.compute(all, perTrial);
            out.line(String.format(Locale.ROOT, "epochs trained: %d of %d had every finished trial run all %d (%.0f%%"
                    + " saved)", c.trained(), c.full(), perTrial, 100 * c.saved()));
            if (outcome == StudyRunner.Outcome.TIME_LIMIT) {
                out.line(String.format(Locale.ROOT, "time limit reached: %d of %d trials finished; run the same command"
                        + " to continue", all.stream().filter(t -> t.state().finished()).count(), q.trials()));
                return false;
            }
            finish(st, dir, baseFile, searchSpace, objective, perTrial, q, out);
            return true;
        }
    }

    /** A finished study: best.yaml, the plots, and the refit on train+val tested once (once per best trial). */
    private static void finish(Study st, Path dir, Path baseFile, SearchSpace searchSpace, Objective objective,
                               int perTrial, Request q, Reporter out) throws IOException, InterruptedException {
        List<Trial> all = st.trials();
        Trial best = StudyRunner.best(all, objective);
        if (best == null) {
            throw new TuneupException("no trial of " + st.file() + " completed", "see the trials' stderr.log in " + dir);
        }
        Path bestYaml = FinalFit.writeBest(dir, baseFile, searchSpace, best, perTrial);
        out.line(String.format(Locale.ROOT, "best: trial %d, %s %.4f: %s -> %s", best.number(), objective.metric(),
                best.value(), StudyReport.values(best.params()), bestYaml));
        StudyReport.plots(dir, all, searchSpace, objective).forEach(f -> out.line("plot -> " + f));
        if (q.finalFit() && !String.valueOf(best.number()).equals(st.meta("final_trial"))) {
            out.line("final refit on train+val -> " + dir.resolve("final"));
            FinalFit.Result r = FinalFit.run(q.train(), bestYaml, dir, best.number());
            st.setMeta("final_trial", String.valueOf(best.number()));
            out.line(String.valueOf(r));
        } else if (q.finalFit()) {
            out.line("the final refit of trial " + best.number() + " was done before: " + dir.resolve("final.json"));
        }
    }

    /**
     * What {@link #show} found: the settings, every trial, the importance of each key (empty below
     * {@link StudyReport#MIN_FOR_IMPORTANCE} complete trials), the plots written and the final refit (null if none).
     */
    public record Shown(StudySettings settings, List<Trial> trials, Map<String, Double> importance, List<String> plots,
                        com.fasterxml.jackson.databind.JsonNode finalFit) {
    }

    /** The study in {@code db}: leaderboard, importance, plots and the final refit's result. */
    public static Shown show(Path db, Reporter out) throws IOException {
        Path dir = db.toAbsolutePath().getParent();
        if (!Files.isRegularFile(db)) {
            throw new TuneupException("no study at " + db, "pass --study the folder tuneup tune wrote");
        }
        try (Study st = Study.open(db)) {
            StudySettings set = StudySettings.of(st);
            if (set == null) {
                throw new TuneupException(db + " holds no study settings", "pass --study the folder tuneup tune wrote");
            }
            Objective objective = new Objective(set.metric(), set.maximize());
            SearchSpace sp = SearchSpace.parse(set.space(), db.toString(), dir.resolve("base.yaml"), List.of());
            List<Trial> all = st.trials();
            out.line(String.format(Locale.ROOT, "study %s: sampler %s, pruner %s, seed %d, %d epochs per trial", db,
                    set.sampler(), set.pruner(), set.seed(), set.epochs()));
            out.block(StudyReport.leaderboard(all, objective, set.epochs()));
            Map<String, Double> importance = StudyReport.importance(all, sp);
            out.line(importance.isEmpty() ? "importance: needs " + StudyReport.MIN_FOR_IMPORTANCE + " complete trials"
                    : "importance (epsilon squared of " + objective.metric() + " over each key's bins, complete trials):");
            importance.forEach((k, v) -> out.line(String.format(Locale.ROOT, "  %-28s %.3f", k, v)));
            List<Path> plots = StudyReport.plots(dir, all, sp, objective);
            plots.forEach(f -> out.line("plot -> " + f));
            Path fin = dir.resolve("final.json");
            com.fasterxml.jackson.databind.JsonNode finalFit = null;
            if (Files.isRegularFile(fin)) {
                out.line("final refit: " + Files.readString(fin).replaceAll("\\s+", " ").strip());
                finalFit = dev.tuneup.JsonFiles.MAPPER.readTree(fin.toFile());
            }
            return new Shown(set, all, importance, plots.stream().map(Path::toString).toList(), finalFit);
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    }

    /** One line per trial start and end, with the best so far. */
    private record Lines(Reporter out, Objective objective) implements StudyRunner.Listener {
        @Override
        public void onStart(Trial t, boolean rerun) {
            out.line(String.format(Locale.ROOT, "trial %d %s: %s", t.number(), rerun ? "reruns (interrupted before)"
                    : "starts", StudyReport.values(t.params())));
        }

        @Override
        public void onEnd(Trial t, Trial best) {
            out.line(String.format(Locale.ROOT, "trial %d %-8s %s %.4f after %d epoch%s, %.0f s%s | best %s", t.number(),
                    t.state(), objective.metric(), t.value(), t.epochs(), t.epochs() == 1 ? "" : "s", t.seconds(),
                    t.note().isEmpty() ? "" : " (" + t.note() + ")", best == null ? "none yet"
                            : String.format(Locale.ROOT, "%.4f (trial %d)", best.value(), best.number())));
        }
    }
}
