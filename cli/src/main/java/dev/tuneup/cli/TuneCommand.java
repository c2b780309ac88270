package dev.tuneup.cli;

import dev.tuneup.TuneupException;
import dev.tuneup.workflow.DistributedTrials;
import dev.tuneup.workflow.TuneWorkflow;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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

    @Option(names = "--spark", description = "Run each trial as an Apache Spark task (embedded local mode unless"
            + " --master; needs the spark module, docs/spark.md); --parallel trials at once.")
    boolean spark;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master for the trials, e.g. local[2] or"
            + " spark://host:7077 (implies --spark; the study folder must be shared with the workers).")
    String master;

    @picocli.CommandLine.Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        ConsoleReporter out = ConsoleReporter.of(spec, json.text(spec));
        if (study == null && space == null) {
            throw new TuneupException("tune needs --space (a new or resumed study) or --study (to --show or resume)",
                    "e.g. tuneup tune --space examples/space-fashion-mnist.yaml --trials 20");
        }
        Path db = TuneWorkflow.database(study, space);
        if (show) {
            json.write(spec, TuneWorkflow.show(db, out));
            return 0;
        }
        if (json.target != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--json goes with --show");
        }
        if (space == null) {
            throw new TuneupException("tune needs --space to run a study", "pass the same --space the study started with");
        }
        if (trials < 1 || parallel < 1 || epochs != null && epochs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--trials, --parallel and --epochs must be at least 1");
        }
        if (!TuneWorkflow.SAMPLERS.contains(sampler) || !TuneWorkflow.PRUNERS.contains(pruner)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--sampler must be one of "
                    + TuneWorkflow.SAMPLERS + " and --pruner one of " + TuneWorkflow.PRUNERS);
        }
        configs.resolve(); // a bad base config fails now, before any trial starts
        List<String> train = new ArrayList<>(launcher());
        train.add("train");
        TuneWorkflow.Request q = new TuneWorkflow.Request(space, db, configs.config, configs.allOverrides(), trials, time,
                epochs, sampler, pruner, parallel, tpeStartup, seed, finalFit, train);
        if (spark || master != null) {
            try (DistributedTrials.Launcher trialsOnSpark = DistributedTrials.find().open(master, out)) {
                TuneWorkflow.run(q, out, trialsOnSpark);
            }
        } else {
            TuneWorkflow.run(q, out);
        }
        return 0;
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
}
