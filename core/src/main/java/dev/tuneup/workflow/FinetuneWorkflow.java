package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.DataStats;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.finetune.Base;
import dev.tuneup.finetune.Layers;
import dev.tuneup.finetune.Recipe;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.ModelStats;
import dev.tuneup.model.Networks;
import dev.tuneup.report.LrFinderPlot;
import dev.tuneup.track.Lineage;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.RunStatus;
import dev.tuneup.train.Checkpoints;
import dev.tuneup.train.EpochMetrics;
import dev.tuneup.train.FitLoop;
import dev.tuneup.train.FitResult;
import dev.tuneup.train.LrFinder;
import dev.tuneup.train.RunExport;
import dev.tuneup.train.Schedule;
import dev.tuneup.train.Scores;
import dev.tuneup.train.TrainConfig;
import dev.tuneup.train.TrainingSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tuneup finetune}: load the base and the data, put a new head on the base, find a learning
 * rate when none is given, run the recipe's phases on one model, then test, calibrate and bundle.
 * Every phase is an ordinary {@link TrainingSession} with its own frozen parameters, LR multipliers
 * and schedule, checkpointed into the run folder.
 */
public final class FinetuneWorkflow {
    /**
     * What a fine-tuning run reports.
     *
     * @param fit     how the last phase that ran ended
     * @param history every phase's epochs, in order
     * @param test    null without a test split
     * @param lrFind  the LR finder's sweep, or null when {@code finetune.lr} was given
     */
    public record Result(FitResult fit, List<PhaseEpoch> history, Scores test, Path bundle, LrFinder.Result lrFind,
                         double lr) {
    }

    /** One epoch of one phase (phases count from 1), as a metrics.csv row with a {@code phase} column first. */
    public record PhaseEpoch(int phase, EpochMetrics metrics) {
        public Map<String, Object> row() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("phase", phase);
            r.putAll(metrics.row());
            return r;
        }
    }

    private FinetuneWorkflow() {
    }

    /** Fine-tunes what {@code run} names into {@code dir}, with progress, the run's log and curves.png. */
    public static Result run(ResolvedRun run, RunDir dir, Reporter out) {
        return run(run, dir, out, null);
    }

    /**
     * The same on images already loaded (a repair's oversampled or corrected set), or null to load
     * what the config names.
     */
    public static Result run(ResolvedRun run, RunDir dir, Reporter reporter, Sessions.Images preloaded) {
        return Tracked.run(dir, RunKind.FINETUNE, List.of(Lineage.to(Lineage.BASE, Base.path(run.finetune().base()))),
                () -> tuned(run, dir, reporter, preloaded), r -> new Tracked.Outcome(r.fit() != null
                        && r.fit().reason() == dev.tuneup.train.StopReason.DIVERGED ? RunStatus.DIVERGED
                        : RunStatus.FINISHED, r.fit() == null ? "" : r.fit().detail(), Map.of(), List.of()));
    }

    private static Result tuned(ResolvedRun run, RunDir dir, Reporter reporter, Sessions.Images preloaded) {
        reporter.line("fine-tuning -> " + dir.path());
        Reporter out = reporter.logTo(dir);
        dir.write(RunDir.CONFIG, ConfigLoader.toYaml(run.config()));
        Result r;
        try (NDManager manager = NDManager.newBaseManager()) {
            r = fit(run, dir, manager, out, preloaded);
        } catch (RuntimeException e) {
            if (!Files.exists(dir.checkpoints())) {
                dir.discard(); // failed before training: leave no folder that looks like a run
            }
            throw e;
        }
        ModelTail.curves(dir, rows(r.history()), out);
        return r;
    }

    /** The fine-tuning itself, in {@code manager}; {@code preloaded} null loads what the config names. */
    static Result fit(ResolvedRun run, RunDir dir, NDManager manager, Reporter say, Sessions.Images preloaded) {
        RunConfig c = run.config();
        ResolvedRun.Finetune f = run.finetune();
        List<String> warnings = new ArrayList<>();
        Base base = Base.load(f.base(), f.method(), manager, warnings); // before the data: a wrong base fails at once
        warnings.forEach(w -> say.line("warning: " + w));
        Sessions.Images images = preloaded != null ? preloaded : Sessions.images(run, LoadOptions.defaults(), say,
                base.preprocessing() == null ? null : base.preprocessing().fit());
        ImageSet train = images.train();
        int[] hw = {images.fit().height(), images.fit().width()};
        long seed = c.training().seed();
        Base.Adapted adapted = base.adapt(train.classes(), train.channels(), hw[0], hw[1], c.model().headDropout(),
                f.headHidden(), f.method(), manager, seed);
        Block model = adapted.model();
        Normalization norm = normalization(base, train);
        say.line("base: " + base.description() + "; " + adapted.description());
        say.line("model: " + ModelStats.of(model, adapted.network().inputShape()));
        Layers layers = Layers.of(model);

        Map<String, Object> prov;
        try (BatchLoader l = loader(c, train, norm, images, seed, true)) {
            prov = Sessions.provenance(c, train, l);
        }
        prov.put("base", base.description());
        prov.put("recipe", f.recipe().configName());
        ModelBundle.Info info = new ModelBundle.Info(adapted.network(), train.classes(), Preprocessing.of(images.fit(), norm),
                prov);
        dir.write(RunExport.INFO, ModelBundle.infoJson(info));
        Networks.extraFiles(model, adapted.network()).forEach(dir::write);

        double lr = f.lr();
        LrFinder.Result found = null;
        if (lr == 0) {
            Recipe.Phase first = Recipe.plan(f.settings(c.training().epochs(), 1e-3), layers).get(0);
            try (TrainingSession s = session(run, model, manager, first, new Schedule.Constant(1e-3), images, norm, seed,
                    dir.path().resolve("lr-find"), 1, false, inferenceBlocks(model));
                 LrProgress bar = new LrProgress(say)) {
                found = LrFinder.run(s, LrFinder.DEFAULT_START, LrFinder.DEFAULT_END, LrFinder.DEFAULT_STEPS, bar);
            }
            lr = Double.isFinite(found.valley()) ? found.valley() : 1e-3;
            try {
                LrFinderPlot.write(dir.path().resolve("lr-find.png"), found);
            } catch (IOException e) {
                say.line("warning: cannot draw lr-find.png: " + e.getMessage());
            }
            say.line(String.format(Locale.ROOT, "LR finder (%s): valley %.2g, steepest %.2g, min/10 %.2g -> lr %.2g;"
                    + " plot lr-find.png", first.name(), found.valley(), found.steepest(), found.minOver10(), lr));
        }

        List<Recipe.Phase> phases = Recipe.plan(f.settings(c.training().epochs(), lr), layers);
        List<PhaseEpoch> history = new ArrayList<>();
        FitResult reason = null;
        TrainingSession last = null;
        for (int k = 0; k < phases.size(); k++) {
            Recipe.Phase phase = phases.get(k);
            boolean final0 = k == phases.size() - 1;
            Path ckpt = final0 ? dir.checkpoints() : dir.path().resolve("phases").resolve("phase-" + (k + 1));
            say.line("phase " + (k + 1) + "/" + phases.size() + " " + phase.describe());
            TrainingSession s = session(run, model, manager, phase, phase.schedule(), images, norm, seed + k, ckpt,
                    phase.epochs(), final0 && c.training().restoreBest(), phase.backboneInference() ? inferenceBlocks(model) : 0);
            say.line("  " + s.groups());
            reason = new FitLoop(s, List.of(new EpochConsole(say, dir, s))).run();
            for (EpochMetrics m : reason.history()) {
                history.add(new PhaseEpoch(k + 1, m));
            }
            dir.writeMetrics(rows(history));
            say.line("  " + reason.detail());
            if (last != null) {
                last.close();
            }
            last = s;
            if (reason.interrupted()) {
                break;
            }
        }
        Scores test = null;
        if (images.test() != null && last != null) {
            try (BatchLoader t = loader(c, images.test(), norm, images, seed, false)) {
                test = ModelTail.test(last, t, dir, say);
            }
        }
        if (last != null) {
            last.close();
        }
        Path bundle = ModelTail.bundle(model, info, images.val(), manager, dir, say);
        return new Result(reason, history, test, bundle, found, lr);
    }

    private static List<Map<String, Object>> rows(List<PhaseEpoch> history) {
        return history.stream().map(PhaseEpoch::row).toList();
    }

    /** The base's normalisation when it has one (fine-tuning keeps the base's input statistics), else the data's. */
    private static Normalization normalization(Base base, ImageSet train) {
        if (base.preprocessing() != null) {
            if (base.preprocessing().channels() != train.channels()) {
                throw new TuneupException("the base takes " + base.preprocessing().channels() + "-channel images, the"
                        + " data has " + train.channels(), "set data.channels: " + base.preprocessing().channels());
            }
            return base.preprocessing().normalization();
        }
        DataStats stats = DataStats.of(train);
        return Normalization.fromStats(stats.mean(), stats.std());
    }

    /** Top-level blocks before the head (and the dropout right before it): the backbone. */
    static int inferenceBlocks(Block model) {
        List<Block> children = model.getChildren().values();
        int n = children.size() - 1;
        if (n > 0 && children.get(n - 1) instanceof Dropout) {
            n--;
        }
        return n;
    }

    private static BatchLoader loader(RunConfig c, ImageSet set, Normalization norm, Sessions.Images images, long seed,
                                      boolean training) {
        RunConfig.Training t = c.training();
        BatchLoader.Builder b = BatchLoader.builder(set).batchSize(t.batchSize()).workers(t.workers()).normalization(norm);
        if (!training) {
            return Predictor.evalLoader(set, Preprocessing.of(images.fit(), norm), t.batchSize(), t.workers());
        }
        var aug = images.augment();
        return b.seed(seed).transform(aug.pipeline().isEmpty() ? null : aug.pipeline()).mix(aug.mix()).build();
    }

    private static TrainingSession session(ResolvedRun run, Block model, NDManager manager, Recipe.Phase phase,
                                           Schedule schedule, Sessions.Images images, Normalization norm, long seed,
                                           Path ckpt, int epochs, boolean restoreBest, int inferenceBlocks) {
        RunConfig c = run.config();
        TrainConfig base = run.training();
        TrainConfig tc = new TrainConfig(epochs, seed, base.labelSmoothing(), base.l1(), base.clipNorm(),
                base.divergence(), base.monitor(), base.patience(), restoreBest, base.checkpointEvery(),
                base.keepCheckpoints(), base.keepBest());
        return new TrainingSession(model, manager, run.optimizer().create(), schedule, run.optimizer().weightDecay(),
                phase.frozen(), loader(c, images.train(), norm, images, seed, true),
                loader(c, images.val(), norm, images, seed, false), tc,
                new Checkpoints(ckpt, c.training().keepCheckpoints()))
                .withDecayOneDim(run.optimizer().decay1d()).withLrScale(phase.lrScale()).withInferenceBlocks(inferenceBlocks);
    }
}
