package dev.tuneup.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.tuneup.TuneupException;
import dev.tuneup.augment.AugmentSpec;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.DataSources;
import dev.tuneup.data.DataStats;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.data.Subsets;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.ModelStats;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import dev.tuneup.track.RunDir;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns a {@link RunConfig} into a ready {@link TrainingSession}: loads and splits the data, builds
 * the loaders (augmentation, normalisation from the training set), the model, optimizer and
 * schedule, and writes the run folder's provenance. Used by {@code tuneup train} and {@code resume}.
 */
public final class Runs {
    private Runs() {
    }

    /** A session plus what the run folder should record about it. */
    public record Opened(TrainingSession session, ModelSpec spec, BatchLoader test, Map<String, Object> provenance,
                         ModelBundle.Info bundleInfo, ImageSet val) {
    }

    /** The images of a run: training (after class and per-class selection), validation and test (or null). */
    public record Images(String name, ImageSet train, ImageSet val, ImageSet test, AugmentSpec.Parsed augment) {
    }

    /** Loads and splits the data a config names, with its class selection, and parses its augmentation. */
    public static Images images(RunConfig c, LoadOptions load, Consumer<String> say) {
        RunConfig.Data d = c.data();
        Dataset data = DataSources.load(d.name(), d.dataDirs().stream().map(Path::of).toList(),
                load.withChannels(d.channels() == 1 ? 1 : 3));
        ImageSet train = select(data.split(d.trainSplit()), d.classes());
        ImageSet val;
        if (data.has(d.valSplit())) {
            val = select(data.split(d.valSplit()), d.classes());
        } else {
            Subsets.Split split = Subsets.stratified(train, d.valFraction(), c.training().seed());
            train = split.train();
            val = split.val();
        }
        if (d.perClass() > 0) {
            train = Subsets.perClass(train, d.perClass(), c.training().seed());
        }
        if (d.trainOnVal()) {
            train = ImageSet.concat(train, val);
            say.accept("data.train_on_val: the " + val.size() + " validation images are trained on too; validation"
                    + " metrics are not held out");
        }
        ImageSet test = d.useTest() && data.has(Dataset.TEST) && !d.valSplit().equals(Dataset.TEST)
                ? select(data.split(Dataset.TEST), d.classes()) : null;
        say.accept(String.format(Locale.ROOT, "data: %s, train %d, val %d%s, %dx%dx%d, %d classes", data.name(),
                train.size(), val.size(), test == null ? "" : ", test " + test.size(), train.height(), train.width(),
                train.channels(), train.numClasses()));
        try {
            return new Images(data.name(), train, val, test, AugmentSpec.parse(c.augment().train()));
        } catch (IllegalArgumentException e) {
            throw new TuneupException("config augment.train: " + e.getMessage(), "see docs/augment.md");
        }
    }

    private static ImageSet select(ImageSet set, List<Integer> classes) {
        if (classes.isEmpty()) {
            return set;
        }
        try {
            return Subsets.classes(set, classes.stream().mapToInt(Integer::intValue).toArray());
        } catch (IllegalArgumentException e) {
            throw new TuneupException("config data.classes: " + e.getMessage(), "list class ids of the data set, e.g."
                    + " [5, 6, 7, 8, 9]; tuneup data info shows them");
        }
    }

    public static Opened open(RunConfig c, RunDir dir, NDManager manager, LoadOptions load, Consumer<String> say) {
        return open(c, dir, manager, images(c, load, say), say);
    }

    /** A session on images already loaded (e.g. one fold of a cross-fit, or relabelled data). */
    public static Opened open(RunConfig c, RunDir dir, NDManager manager, Images images, Consumer<String> say) {
        ImageSet train = images.train();
        ImageSet val = images.val();
        ImageSet test = images.test();
        AugmentSpec.Parsed aug = images.augment();
        DataStats stats = DataStats.of(train);
        Normalization norm = Normalization.fromStats(stats.mean(), stats.std());
        RunConfig.Training t = c.training();
        BatchLoader trainLoader = BatchLoader.builder(train).batchSize(t.batchSize()).seed(t.seed()).workers(t.workers())
                .transform(aug.pipeline().isEmpty() ? null : aug.pipeline()).mix(aug.mix()).normalization(norm).build();
        BatchLoader valLoader = BatchLoader.builder(val).batchSize(t.batchSize()).shuffle(false).workers(t.workers())
                .normalization(norm).build();
        int[] hw = aug.pipeline().outputSize(train.height(), train.width());

        ModelSpec spec = spec(c.model(), train.channels(), hw[0], hw[1], train.numClasses());
        Block model = Networks.create(spec, manager, t.seed());
        say.accept("model: " + spec.arch() + " " + ModelStats.of(model, new Shape(1, train.channels(), hw[0], hw[1])));

        RunConfig.Optimizer o = c.optimizer();
        Optimizer optimizer = optimizer(o);
        Schedule schedule = null;
        Schedules.PlateauSchedule plateau = null;
        try {
            if (Schedules.isPlateau(c.schedule())) {
                plateau = Schedules.parsePlateau(c.schedule());
            } else {
                schedule = Schedules.parse(c.schedule());
            }
        } catch (IllegalArgumentException e) {
            throw new TuneupException("config schedule: " + e.getMessage(), "see docs/schedules.md");
        }
        TrainConfig tc = trainConfig(c);
        long total = (long) tc.epochs() * trainLoader.batchesPerEpoch();
        if (schedule != null) {
            try {
                schedule.at(0, total);
                schedule.at(total - 1, total);
            } catch (IllegalArgumentException e) {
                throw new TuneupException("config schedule: " + e.getMessage() + " (this run has " + total + " steps: "
                        + tc.epochs() + " epochs of " + trainLoader.batchesPerEpoch() + " batches)", "adjust the schedule"
                        + " or training.epochs");
            }
        }
        TrainingSession session = new TrainingSession(model, manager, optimizer, schedule, o.weightDecay(), name -> false,
                trainLoader, valLoader, tc, new Checkpoints(dir.checkpoints(), t.keepCheckpoints()))
                .withDecayOneDim(o.decay1d());
        if (plateau != null) {
            session.withPlateau(plateau);
        }
        say.accept("optimizer: " + o.name() + ", " + session.groups() + "; schedule: " + c.schedule());
        BatchLoader testLoader = test == null ? null : BatchLoader.builder(test).batchSize(t.batchSize()).shuffle(false)
                .workers(t.workers()).normalization(norm).build();
        Map<String, Object> prov = provenance(c, train, trainLoader);
        ModelBundle.Info info = new ModelBundle.Info(Networks.Spec.of(spec), train.classes(),
                Preprocessing.of(hw[0], hw[1], norm), prov);
        return new Opened(session, spec, testLoader, prov, info, val);
    }

    /** The optimizer a config section names. */
    public static Optimizer optimizer(RunConfig.Optimizer o) {
        return switch (o.name()) {
            case "sgd" -> Optimizers.sgd(o.momentum(), o.nesterov(), false);
            case "adam" -> Optimizers.adam(o.beta1(), o.beta2(), o.eps(), false);
            case "adamw" -> Optimizers.adam(o.beta1(), o.beta2(), o.eps(), true);
            case "rmsprop" -> Optimizers.rmsprop(o.alpha(), o.eps(), o.momentum());
            default -> Optimizers.lion(o.beta1(), o.beta2());
        };
    }

    static ModelSpec spec(RunConfig.Model m, int channels, int h, int w, int classes) {
        try {
            return new ModelSpec(m.arch(), m.depth(), m.width(), m.convWidths(), m.kernel(), m.pool(), m.denseWidths(),
                    Activations.Kind.valueOf(m.activation().toUpperCase(Locale.ROOT)),
                    Norms.Kind.valueOf(m.norm().toUpperCase(Locale.ROOT)), m.headDropout(), m.spatialDropout(),
                    channels, h, w, classes);
        } catch (IllegalArgumentException e) {
            throw new TuneupException("config model: " + e.getMessage(), "activation: relu, leakyrelu, elu, selu, gelu,"
                    + " silu, mish; norm: batch, group, layer, none; see docs/config.md");
        }
    }

    public static TrainConfig trainConfig(RunConfig c) {
        RunConfig.Training t = c.training();
        Monitor monitor;
        try {
            monitor = new Monitor(t.monitor(), Monitor.Mode.valueOf(t.monitorMode().toUpperCase(Locale.ROOT)), t.minDelta());
        } catch (IllegalArgumentException e) {
            throw new TuneupException("config training.monitor: " + e.getMessage(), "set training.monitor to a known metric");
        }
        return new TrainConfig(t.epochs(), t.seed(), c.regularization().labelSmoothing(), c.regularization().l1(),
                c.regularization().clipNorm(), TrainConfig.Divergence.valueOf(t.divergence().toUpperCase(Locale.ROOT)),
                monitor, t.patience(), t.restoreBest(), t.checkpointEvery(), t.keepCheckpoints(),
                t.keepBest());
    }

    public static Map<String, Object> provenance(RunConfig c, ImageSet train, BatchLoader loader) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("seed", c.training().seed());
        p.put("train_data_sha256", train.contentHash());
        p.put("train_images", train.size());
        p.put("tuneup", String.valueOf(Runs.class.getPackage().getImplementationVersion()));
        p.put("java", System.getProperty("java.version"));
        p.put("djl", "0.36.0");
        p.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        p.put("cpus", Runtime.getRuntime().availableProcessors());
        p.put("torch_threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        p.put("loader_workers", c.training().workers());
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("started", java.time.Instant.now().toString());
        p.put("batches_per_epoch", loader.batchesPerEpoch());
        return p;
    }

}
