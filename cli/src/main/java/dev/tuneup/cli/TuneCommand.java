package dev.tuneup.cli;

import dev.tuneup.TuneupException;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
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
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup tune}: a hyperparameter search study, resumable, each trial its own {@code train} process. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Hyperparameter search over a YAML search space (docs/tune.md): random or TPE sampling, median or"
                + " ASHA pruning on the validation metric, each trial a `tuneup train` process. The study lives in"
                + " <study>/study.db: run the same command again to resume it. At the end: best.yaml, and the best"
                + " config refit on train+val and evaluated once on test (final.json)."})
public final class TuneCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configs;

    @Spec
    CommandSpec spec;

    @Option(names = "--space", paramLabel = "FILE", description = "Search space (YAML), e.g. examples/space-fashion-mnist.yaml.")
    Path space;

    @Option(names = "--study", paramLabel = "DIR|FILE.db",
            description = "The study's folder (its database is study.db there) or .db file; default studies/<space name>.")
    Path study;

    @Option(names = "--trials", defaultValue = "20", description = "Trials in the study in all (default ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--time", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wall-clock limit of this session, e.g. 30m, 2h, 1h30m, 90s: then running trials stop (they"
                    + " rerun on resume) and none starts.")
    Duration time;

    @Option(names = "--epochs", description = "Epochs of each trial (the pruners' resource); default training.epochs.")
    Integer epochs;

    @Option(names = "--sampler", defaultValue = "tpe", description = "random or tpe (default ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--pruner", defaultValue = "asha", description = "none, median or asha (default ${DEFAULT-VALUE}).")
    String pruner;

    @Option(names = "--parallel", defaultValue = "1", description = "Trial processes at once (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--tpe-startup", defaultValue = "10",
            description = "Random trials before TPE starts modelling (default ${DEFAULT-VALUE}, as Optuna).")
    int tpeStartup;

    @Option(names = "--seed", defaultValue = "0", description = "The sampler's seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--show", description = "Print the study's leaderboard and write objective.png and importance.png.")
    boolean show;

    @Option(names = "--final", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "After the last trial, refit the best config on train+val and test it once (default: on).")
    boolean finalFit;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (study == null && space == null) {
            throw new TuneupException("tune needs --space (a new or resumed study) or --study (to --show or resume)",
                    "e.g. tuneup tune --space examples/space-fashion-mnist.yaml --trials 20");
        }
        Path db = study == null ? Path.of("studies", stem(space), "study.db")
                : study.toString().endsWith(".db") ? study : study.resolve("study.db");
        Path dir = db.toAbsolutePath().getParent();
        if (show) {
            return show(db, dir, out);
        }
        if (space == null) {
            throw new TuneupException("tune needs --space to run a study", "pass the same --space the study started with");
        }
        if (trials < 1 || parallel < 1 || epochs != null && epochs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--trials, --parallel and --epochs must be at least 1");
        }
        RunConfig base = configs.load();
        int perTrial = epochs == null ? base.training().epochs() : epochs;
        SearchSpace searchSpace = SearchSpace.load(space, configs.config, configs.overrides);
        Objective objective = new Objective(base.training().monitor(), base.training().monitorMode().equals("max"));
        Sampler s = switch (sampler) {
            case "random" -> new RandomSampler(seed);
            case "tpe" -> new TpeSampler(seed, objective, tpeStartup, 24);
            default -> throw new TuneupException("--sampler " + sampler + " is unknown", "use random or tpe");
        };
        Pruner p = switch (pruner) {
            case "none" -> Pruner.NONE;
            case "median" -> new MedianPruner(objective);
            case "asha" -> new AshaPruner(objective);
            default -> throw new TuneupException("--pruner " + pruner + " is unknown", "use none, median or asha");
        };
        String baseYaml = ConfigLoader.toYaml(base);
        String samplerName = sampler.equals("tpe") ? "tpe(startup=" + tpeStartup + ")" : sampler;
        try (Study st = Study.open(db)) {
            new StudySettings(Files.readString(space), baseYaml, objective.metric(), objective.maximize(), samplerName,
                    pruner, seed, perTrial).bind(st);
            Path baseFile = dir.resolve("base.yaml");
            Files.writeString(baseFile, baseYaml);
            out.printf(Locale.ROOT, "study %s: %d trials of %d epochs, sampler %s, pruner %s, objective %s (%s)%n", db,
                    trials, perTrial, samplerName, p == Pruner.NONE ? "none" : p, objective.metric(),
                    objective.maximize() ? "max" : "min");
            int done = (int) st.trials().stream().filter(t -> t.state().finished()).count();
            if (done > 0) {
                out.printf(Locale.ROOT, "resuming: %d trials finished earlier are kept%n", done);
            }
            out.flush();
            List<String> train = new ArrayList<>(launcher());
            train.add("train");
            List<String> trialCommand = new ArrayList<>(train);
            trialCommand.addAll(List.of("--config", baseFile.toString()));
            StudyRunner.Outcome outcome = new StudyRunner(st, searchSpace, objective, s, p,
                    new StudyRunner.Budget(trials, time, perTrial, parallel), dir, trialCommand, new Lines(out, objective))
                    .run();
            List<Trial> all = st.trials();
            StudyReport.Compute c = StudyReport.compute(all, perTrial);
            out.printf(Locale.ROOT, "epochs trained: %d of %d had every finished trial run all %d (%.0f%% saved)%n",
                    c.trained(), c.full(), perTrial, 100 * c.saved());
            if (outcome == StudyRunner.Outcome.TIME_LIMIT) {
                out.printf(Locale.ROOT, "time limit reached: %d of %d trials finished; run the same command to continue%n",
                        all.stream().filter(t -> t.state().finished()).count(), trials);
                return 0;
            }
            finish(st, dir, baseFile, searchSpace, objective, perTrial, train, out);
            return 0;
        }
    }

    /** A finished study: best.yaml, the plots, and the refit on train+val tested once (once per best trial). */
    private void finish(Study st, Path dir, Path baseFile, SearchSpace searchSpace, Objective objective, int perTrial,
                        List<String> train, PrintWriter out) throws IOException, InterruptedException {
        List<Trial> all = st.trials();
        Trial best = StudyRunner.best(all, objective);
        if (best == null) {
            throw new TuneupException("no trial of " + st.file() + " completed", "see the trials' stderr.log in " + dir);
        }
        Path bestYaml = FinalFit.writeBest(dir, baseFile, searchSpace, best, perTrial);
        out.printf(Locale.ROOT, "best: trial %d, %s %.4f: %s -> %s%n", best.number(), objective.metric(), best.value(),
                StudyReport.values(best.params()), bestYaml);
        StudyReport.plots(dir, all, searchSpace, objective).forEach(f -> out.println("plot -> " + f));
        if (finalFit && !String.valueOf(best.number()).equals(st.meta("final_trial"))) {
            out.println("final refit on train+val -> " + dir.resolve("final"));
            out.flush();
            FinalFit.Result r = FinalFit.run(train, bestYaml, dir, best.number());
            st.setMeta("final_trial", String.valueOf(best.number()));
            out.println(r);
        } else if (finalFit) {
            out.println("the final refit of trial " + best.number() + " was done before: " + dir.resolve("final.json"));
        }
    }

    private Integer show(Path db, Path dir, PrintWriter out) throws IOException {
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
            out.printf(Locale.ROOT, "study %s: sampler %s, pruner %s, seed %d, %d epochs per trial%n", db, set.sampler(),
                    set.pruner(), set.seed(), set.epochs());
            out.print(StudyReport.leaderboard(all, objective, set.epochs()));
            Map<String, Double> importance = StudyReport.importance(all, sp);
            out.println(importance.isEmpty() ? "importance: needs " + StudyReport.MIN_FOR_IMPORTANCE + " complete trials"
                    : "importance (epsilon squared of " + objective.metric() + " over each key's bins, complete trials):");
            importance.forEach((k, v) -> out.printf(Locale.ROOT, "  %-28s %.3f%n", k, v));
            StudyReport.plots(dir, all, sp, objective).forEach(f -> out.println("plot -> " + f));
            Path fin = dir.resolve("final.json");
            if (Files.isRegularFile(fin)) {
                out.println("final refit: " + Files.readString(fin).replaceAll("\\s+", " ").strip());
            }
            return 0;
        }
    }

    /** This JVM's java, its options and class path, and the CLI's main class: how a trial runs {@code train}. */
    static List<String> launcher() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-javaagent")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return cmd;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    }

    /** One line per trial start and end, with the best so far. */
    private record Lines(PrintWriter out, Objective objective) implements StudyRunner.Listener {
        @Override
        public void onStart(Trial t, boolean rerun) {
            out.printf(Locale.ROOT, "trial %d %s: %s%n", t.number(), rerun ? "reruns (interrupted before)" : "starts",
                    StudyReport.values(t.params()));
            out.flush();
        }

        @Override
        public void onEnd(Trial t, Trial best) {
            out.printf(Locale.ROOT, "trial %d %-8s %s %.4f after %d epoch%s, %.0f s%s | best %s%n", t.number(), t.state(),
                    objective.metric(), t.value(), t.epochs(), t.epochs() == 1 ? "" : "s", t.seconds(),
                    t.note().isEmpty() ? "" : " (" + t.note() + ")", best == null ? "none yet"
                            : String.format(Locale.ROOT, "%.4f (trial %d)", best.value(), best.number()));
            out.flush();
        }
    }

    /** 90s, 30m, 2h, 1h30m. */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+)([hms])");

        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (!v.matches("(\\d+[hms])+")) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a duration like 90s, 30m,"
                        + " 2h or 1h30m");
            }
            Duration d = Duration.ZERO;
            Matcher m = PART.matcher(v);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            }
            return d;
        }
    }
}
