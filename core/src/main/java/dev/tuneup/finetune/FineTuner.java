package dev.tuneup.finetune;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.DataStats;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.evaluate.Calibrate;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.ModelStats;
import dev.tuneup.model.Networks;
import dev.tuneup.report.LrFinderPlot;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.Checkpoints;
import dev.tuneup.train.FitListener;
import dev.tuneup.train.FitLoop;
import dev.tuneup.train.LrFinder;
import dev.tuneup.train.RunExport;
import dev.tuneup.train.Runs;
import dev.tuneup.train.Schedule;
import dev.tuneup.train.TrainConfig;
import dev.tuneup.train.TrainingSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code tuneup finetune} as a library call: load the data and the base, put a new head on it,
 * find a learning rate when none is given, run the recipe's phases on one model, test, and write
 * the bundle. Every phase is an ordinary {@link TrainingSession} with its own frozen parameters,
 * LR multipliers and schedule, checkpointed into the run folder.
 */
public final class FineTuner {
    /** What a fine-tuning run reports. */
    public record Result(String reason, List<Map<String, Object>> history, double[] test, Path bundle,
                         LrFinder.Result lrFind, double lr) {
    }

    private FineTuner() {
    }

    /**
     * @param listeners the loop's listeners for each phase's session (progress bars, logging)
     * @param lrProgress told about each LR-finder step; may be null
     */
    public static Result run(RunConfig c, RunDir dir, NDManager manager, Consumer<String> say,
                             Function<TrainingSession, List<FitListener>> listeners, LrFinder.Progress lrProgress) {
        return run(c, dir, manager, say, listeners, lrProgress, null);
    }

    /**
     * @param preloaded the images to use (a cross-fit fold, a repair's oversampled or corrected set), or
     *                  null to load what the config names
     */
    public static Result run(RunConfig c, RunDir dir, NDManager manager, Consumer<String> say,
                             Function<TrainingSession, List<FitListener>> listeners, LrFinder.Progress lrProgress,
                             Runs.Images preloaded) {
        RunConfig.Finetune f = c.finetune();
        List<String> warnings = new ArrayList<>();
        Base base = Base.load(f.base(), manager, warnings); // before the data: a wrong base fails at once
        warnings.forEach(w -> say.accept("warning: " + w));
        Runs.Images images = preloaded != null ? preloaded : Runs.images(c, LoadOptions.defaults(), say);
        ImageSet train = images.train();
        int[] hw = images.augment().pipeline().outputSize(train.height(), train.width());
        long seed = c.training().seed();
        Base.Adapted adapted = base.adapt(train.classes(), train.channels(), hw[0], hw[1], c.model().headDropout(),
                f.method().isBlank() ? null : f.method(), manager, seed);
        Block model = adapted.model();
        Normalization norm = normalization(base, train);
        say.accept("base: " + base.description() + "; " + adapted.description());
        say.accept("model: " + ModelStats.of(model, adapted.network().inputShape()));
        Layers layers = Layers.of(model);

        Map<String, Object> prov;
        try (BatchLoader l = loader(c, train, norm, images, seed, true)) {
            prov = Runs.provenance(c, train, l);
        }
        prov.put("base", base.description());
        prov.put("recipe", f.recipe());
        ModelBundle.Info info = new ModelBundle.Info(adapted.network(), train.classes(), Preprocessing.of(hw[0], hw[1], norm),
                prov);
        dir.write(RunExport.INFO, ModelBundle.infoJson(info));
        Networks.extraFiles(model, adapted.network()).forEach(dir::write);

        double lr = f.lr();
        LrFinder.Result found = null;
        if (lr == 0) {
            Recipe.Phase first = Recipe.plan(settings(c, 1e-3), layers).get(0);
            try (TrainingSession s = session(c, model, manager, first, new Schedule.Constant(1e-3), images, norm, seed,
                    dir.path().resolve("lr-find"), 1, false, inferenceBlocks(model))) {
                found = LrFinder.run(s, LrFinder.DEFAULT_START, LrFinder.DEFAULT_END, LrFinder.DEFAULT_STEPS, lrProgress);
            }
            lr = Double.isFinite(found.valley()) ? found.valley() : 1e-3;
            try {
                LrFinderPlot.write(dir.path().resolve("lr-find.png"), found);
            } catch (IOException e) {
                say.accept("warning: cannot draw lr-find.png: " + e.getMessage());
            }
            say.accept(String.format(Locale.ROOT, "LR finder (%s): valley %.2g, steepest %.2g, min/10 %.2g -> lr %.2g;"
                    + " plot lr-find.png", first.name(), found.valley(), found.steepest(), found.minOver10(), lr));
        }

        List<Recipe.Phase> phases = Recipe.plan(settings(c, lr), layers);
        List<Map<String, Object>> history = new ArrayList<>();
        String reason = "no phases";
        TrainingSession last = null;
        for (int k = 0; k < phases.size(); k++) {
            Recipe.Phase phase = phases.get(k);
            boolean final0 = k == phases.size() - 1;
            Path ckpt = final0 ? dir.checkpoints() : dir.path().resolve("phases").resolve("phase-" + (k + 1));
            say.accept("phase " + (k + 1) + "/" + phases.size() + " " + phase.describe());
            TrainingSession s = session(c, model, manager, phase, phase.schedule(), images, norm, seed + k, ckpt,
                    phase.epochs(), final0 && c.training().restoreBest(), phase.backboneInference() ? inferenceBlocks(model) : 0);
            say.accept("  " + s.groups());
            reason = new FitLoop(s, listeners.apply(s)).run();
            for (Map<String, Object> row : s.history()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("phase", k + 1);
                r.putAll(row);
                history.add(r);
            }
            dir.writeMetrics(history);
            say.accept("  " + reason);
            if (last != null) {
                last.close();
            }
            last = s;
            if (reason.startsWith("diverged") || reason.startsWith("stopped")) {
                break;
            }
        }
        double[] test = null;
        if (images.test() != null && last != null) {
            try (BatchLoader t = loader(c, images.test(), norm, images, seed, false)) {
                test = last.evaluate(t);
            }
            say.accept(String.format(Locale.ROOT, "test: loss %.4f, accuracy %.4f, top-5 %.4f", test[0], test[1], test[2]));
        }
        if (last != null) {
            last.close();
        }
        Calibrate cal = Calibrate.fit(model, info, images.val(), manager);
        say.accept(cal.toString());
        Path bundle = dir.path().resolve("bundle");
        ModelBundle.write(bundle, model, cal.applyTo(info));
        say.accept("bundle -> " + bundle);
        return new Result(reason, history, test, bundle, found, lr);
    }

    private static Recipe.Settings settings(RunConfig c, double lr) {
        RunConfig.Finetune f = c.finetune();
        return new Recipe.Settings(f.recipe(), c.training().epochs(), f.freezeEpochs(), lr, f.lrMult(), f.layerDecay(),
                f.groups(), f.bn().equals("freeze"));
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

    private static BatchLoader loader(RunConfig c, ImageSet set, Normalization norm, Runs.Images images, long seed,
                                      boolean training) {
        RunConfig.Training t = c.training();
        BatchLoader.Builder b = BatchLoader.builder(set).batchSize(t.batchSize()).workers(t.workers()).normalization(norm);
        if (!training) {
            return b.shuffle(false).build();
        }
        var aug = images.augment();
        return b.seed(seed).transform(aug.pipeline().isEmpty() ? null : aug.pipeline()).mix(aug.mix()).build();
    }

    private static TrainingSession session(RunConfig c, Block model, NDManager manager, Recipe.Phase phase,
                                           Schedule schedule, Runs.Images images, Normalization norm, long seed, Path ckpt,
                                           int epochs, boolean restoreBest, int inferenceBlocks) {
        TrainConfig base = Runs.trainConfig(c);
        TrainConfig tc = new TrainConfig(epochs, seed, base.labelSmoothing(), base.l1(), base.clipNorm(),
                base.divergence(), base.monitor(), base.patience(), restoreBest, base.checkpointEvery(),
                base.keepCheckpoints(), base.keepBest());
        RunConfig.Optimizer o = c.optimizer();
        return new TrainingSession(model, manager, Runs.optimizer(o), schedule, o.weightDecay(), phase.frozen(),
                loader(c, images.train(), norm, images, seed, true), loader(c, images.val(), norm, images, seed, false), tc,
                new Checkpoints(ckpt, c.training().keepCheckpoints()))
                .withDecayOneDim(o.decay1d()).withLrScale(phase.lrScale()).withInferenceBlocks(inferenceBlocks);
    }
}
