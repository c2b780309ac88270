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
import dev.tuneup.model.Bf16;
import dev.tuneup.model.ModelStats;
import dev.tuneup.model.Networks;
import dev.tuneup.model.TorchScriptBackbone;
import dev.tuneup.track.Lineage;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.RunStatus;
import dev.tuneup.train.Checkpoints;
import dev.tuneup.train.EpochMetrics;
import dev.tuneup.train.FitResult;
import dev.tuneup.train.LrFinder;
import dev.tuneup.train.RunExport;
import dev.tuneup.train.Schedule;
import dev.tuneup.train.Scores;
import dev.tuneup.train.StopReason;
import dev.tuneup.train.TrainConfig;
import dev.tuneup.train.TrainingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tuneup finetune} and the resume of one: load the base and the data, put a new head on the
 * base, run the recipe's phases on one model ({@link FinetunePhases}: the LR, the plan, a session per
 * phase, SIGTERM), then test, calibrate and bundle. Every phase is an ordinary {@link TrainingSession}
 * with its own frozen parameters, LR multipliers and schedule, checkpointed into the run folder.
 */
public final class FinetuneWorkflow {
    /**
     * What a fine-tuning run reports.
     *
     * @param fit     how the last phase that ran ended
     * @param history every phase's epochs, in order
     * @param test    null without a test split, or when the run stopped (SIGTERM) to be resumed
     * @param bundle  null when the run stopped to be resumed
     * @param lrFind  the LR finder's sweep, or null when it did not run now (an LR or schedule was given, or
     *                the run resumed)
     * @param lr      the recipe's LR the phases ran with
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
        return tracked(run, dir, reporter, preloaded, FinetunePhases.Control.FRESH);
    }

    /**
     * Continues the fine-tune in {@code dir} with the config and phase plan it saved: finished phases are
     * skipped, the phase it stopped in resumes from its newest intact checkpoint (bit-identical to an
     * uninterrupted run). When every checkpoint of that phase is damaged it refuses, unless
     * {@code restart}: then that phase runs again from where the phase before ended.
     */
    public static Result resume(RunDir dir, boolean restart, Reporter reporter) {
        ResolvedRun run = ConfigLoader.load(dir.path().resolve(RunDir.CONFIG), List.of()).resolve();
        return tracked(run, dir, reporter, null, new FinetunePhases.Control(true, restart, null));
    }

    /** The run registered in the store, with SIGTERM watched until run.json says how it ended. */
    private static Result tracked(ResolvedRun run, RunDir dir, Reporter reporter, Sessions.Images preloaded,
                                  FinetunePhases.Control control) {
        try (SigtermStop sigterm = SigtermStop.install(dir)) {
            return Tracked.run(dir, RunKind.FINETUNE, List.of(Lineage.to(Lineage.BASE, Base.path(run.finetune().base()))),
                    () -> tuned(run, dir, reporter, preloaded, control, sigterm), FinetuneWorkflow::outcome);
        }
    }

    /** How the run ended, for run.json and the store. */
    private static Tracked.Outcome outcome(Result r) {
        StopReason why = r.fit() == null ? null : r.fit().reason();
        return new Tracked.Outcome(why == StopReason.DIVERGED ? RunStatus.DIVERGED : why == StopReason.STOPPED
                ? RunStatus.STOPPED : RunStatus.FINISHED, r.fit() == null ? "" : r.fit().detail(), Map.of(), List.of());
    }

    static Result tuned(ResolvedRun run, RunDir dir, Reporter reporter, Sessions.Images preloaded,
                        FinetunePhases.Control control, SigtermStop sigterm) {
        reporter.line((control.resume() ? "resuming " : "fine-tuning -> ") + dir.path());
        Reporter out = reporter.logTo(dir);
        if (!control.resume()) {
            dir.write(RunDir.CONFIG, ConfigLoader.toYaml(run.config()));
        }
        Result r;
        try (NDManager manager = NDManager.newBaseManager()) {
            r = fit(run, dir, manager, out, preloaded, control, sigterm);
        } catch (RuntimeException e) {
            if (!control.resume() && !Files.exists(dir.checkpoints()) && !Files.exists(dir.path().resolve("phases"))) {
                dir.discard(); // failed before training: leave no folder that looks like a run
            }
            throw e;
        }
        if (r.bundle() != null) {
            ModelTail.curves(dir, rows(r.history()), out);
        }
        return r;
    }

    /**
     * The fine-tuning itself, in {@code manager}; {@code preloaded} null loads what the config names. SIGTERM is
     * not watched: a caller that trains many models (a cross-fit) ends at once.
     */
    static Result fit(ResolvedRun run, RunDir dir, NDManager manager, Reporter say, Sessions.Images preloaded) {
        return fit(run, dir, manager, say, preloaded, FinetunePhases.Control.FRESH, SigtermStop.none());
    }

    /** The same, fresh or resumed as {@code control} says, stopped early by {@code sigterm}'s signal. */
    static Result fit(ResolvedRun run, RunDir dir, NDManager manager, Reporter say, Sessions.Images preloaded,
                      FinetunePhases.Control control, SigtermStop sigterm) {
        RunConfig c = run.config();
        ResolvedRun.Finetune f = run.finetune();
        List<String> warnings = new ArrayList<>();
        Base base = Base.load(f.base(), f.method(), manager, warnings); // before the data: a wrong base fails at once
        warnings.forEach(w -> say.line("warning: " + w));
        dev.tuneup.data.Fit baseFit = base.preprocessing() == null ? null : base.preprocessing().fit();
        if (preloaded == null) {
            Sessions.checkInputSize(run, baseFit);
        }
        Sessions.Images images = preloaded != null ? preloaded : Sessions.images(run, LoadOptions.defaults(), say,
                baseFit);
        ImageSet train = images.train();
        int[] hw = {images.fit().height(), images.fit().width()};
        long seed = c.training().seed();
        Base.Adapted adapted = base.adapt(train.classes(), train.channels(), hw[0], hw[1], c.model().headDropout(),
                f.headHidden(), f.method(), manager, seed);
        Block model = adapted.model();
        Normalization norm = normalization(base, train);
        say.line("base: " + base.description() + "; " + adapted.description());
        say.line("model: " + ModelStats.of(model, adapted.network().inputShape()));
        boolean bf16 = bf16(run, model);
        say.line(bf16 || !run.bf16() ? Bf16.describe(c.training().precision(), bf16)
                : "precision: fp32 (auto: a TorchScript base computes in float32)");
        Layers layers = Layers.of(model);

        Map<String, Object> prov;
        try (BatchLoader l = trainLoader(c, train, norm, images, seed, model)) {
            prov = Sessions.provenance(c, train, l, images.augment());
        }
        prov.put("base", base.description());
        prov.put("recipe", f.recipe().configName());
        prov.put("precision", bf16 ? "bf16" : "fp32");
        ModelBundle.Info info = new ModelBundle.Info(adapted.network(), train.classes(), Preprocessing.of(images.fit(), norm),
                prov);
        dir.write(RunExport.INFO, ModelBundle.infoJson(info));
        Networks.extraFiles(model, adapted.network()).forEach(dir::write);

        FinetunePhases.Outcome o = FinetunePhases.run(run, dir, model, layers, (phase, schedule, sd, ckpt, epochs,
                restoreBest, blocks) -> session(run, model, manager, phase, schedule, images, norm, sd, ckpt, epochs,
                restoreBest, blocks).withBf16(bf16), control, sigterm, say);
        List<PhaseEpoch> history = o.history();
        FitResult reason = o.fit();
        TrainingSession last = o.last();
        LrFinder.Result found = o.found();
        double lr = o.lr();
        if (reason != null && reason.reason() == StopReason.STOPPED) { // by SIGTERM (or a test): resume goes on
            if (last != null) {
                last.close();
            }
            return new Result(reason, history, null, null, found, lr); // to be resumed: no test, no bundle
        }
        Scores test = null;
        if (images.test() != null && last != null) {
            try (BatchLoader t = evalLoader(c, images.test(), norm, images)) {
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

    /**
     * Training batches, channels-last (as in Sessions) except with batch mixing, and for a TorchScript base:
     * its graph executor specialises on the input's strides after its first calls, and a run resumed from a
     * checkpoint then computes its first steps differently from an uninterrupted one (measured:
     * FinetuneResumeTest), so those stay NCHW.
     */
    private static BatchLoader trainLoader(RunConfig c, ImageSet set, Normalization norm, Sessions.Images images,
                                           long seed, Block model) {
        RunConfig.Training t = c.training();
        var aug = images.augment();
        return BatchLoader.builder(set).batchSize(t.batchSize()).workers(t.workers()).normalization(norm).seed(seed)
                .transform(aug.pipeline().isEmpty() ? null : aug.pipeline()).mix(aug.mix())
                .channelsLast(aug.mix() == null && !TorchScriptBackbone.within(model)).build();
    }

    /** Validation and test batches, as evaluation gives them ({@link Predictor#evalLoader}). */
    private static BatchLoader evalLoader(RunConfig c, ImageSet set, Normalization norm, Sessions.Images images) {
        return Predictor.evalLoader(set, Preprocessing.of(images.fit(), norm), c.training().batchSize(),
                c.training().workers());
    }

    /**
     * bf16 as {@code training.precision} says, except through a TorchScript backbone: its own operators run
     * in float32 and cannot take bf16 inputs, so auto trains in fp32 there and an explicit bf16 is refused.
     */
    private static boolean bf16(ResolvedRun run, Block model) {
        boolean wanted = run.bf16();
        if (!wanted || !TorchScriptBackbone.within(model)) {
            return wanted;
        }
        if ("bf16".equals(run.config().training().precision())) {
            throw new TuneupException("training.precision: bf16 cannot train through a TorchScript base: its operators"
                    + " run in float32 inside the TorchScript module", "set training.precision: auto or fp32 for"
                    + " this base (auto trains it in fp32)");
        }
        return false;
    }

    private static TrainingSession session(ResolvedRun run, Block model, NDManager manager, Recipe.Phase phase,
                                           Schedule schedule, Sessions.Images images, Normalization norm, long seed,
                                           Path ckpt, int epochs, boolean restoreBest, int inferenceBlocks) {
        RunConfig c = run.config();
        TrainConfig tc = run.training().forPhase(epochs, seed, restoreBest);
        return new TrainingSession(model, manager, run.optimizer().create(), schedule, run.optimizer().weightDecay(),
                phase.frozen(), trainLoader(c, images.train(), norm, images, seed, model),
                evalLoader(c, images.val(), norm, images), tc,
                new Checkpoints(ckpt, c.training().keepCheckpoints()))
                .withDecayOneDim(run.optimizer().decay1d()).withLrScale(phase.lrScale()).withInferenceBlocks(inferenceBlocks);
    }
}
