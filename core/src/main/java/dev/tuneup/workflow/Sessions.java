package dev.tuneup.workflow;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.tuneup.TuneupException;
import dev.tuneup.augment.AugmentSpec;
import dev.tuneup.augment.Geometric;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.DataSources;
import dev.tuneup.data.DataStats;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.Fit;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.data.Subsets;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Bf16;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.ModelStats;
import dev.tuneup.model.Networks;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.Checkpoints;
import dev.tuneup.train.Schedule;
import dev.tuneup.train.TrainConfig;
import dev.tuneup.train.TrainingSession;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link ResolvedRun} into a ready {@link TrainingSession}: loads and splits the data, builds
 * the loaders (augmentation, normalisation from the training set), the model, optimizer and
 * schedule, and what the run folder records about it. The composition root of training.
 */
public final class Sessions {
    private Sessions() {
    }

    /** A session plus what the run folder should record about it. */
    public record Opened(TrainingSession session, ModelSpec spec, BatchLoader test, Map<String, Object> provenance,
                         ModelBundle.Info bundleInfo, ImageSet val) {
    }

    /**
     * The images of a run: training (after class and per-class selection), validation and test (or
     * null), all at their own size, the training augmentation (which brings training images to
     * {@code fit}'s size), and {@code fit}: how validation, test and later every image the model sees
     * is brought to the model's input size (the bundle's preprocessing).
     */
    public record Images(String name, ImageSet train, ImageSet val, ImageSet test, AugmentSpec.Parsed augment, Fit fit) {
        /** Images at their own size (the model's input size), as before data.size. */
        public Images(String name, ImageSet train, ImageSet val, ImageSet test, AugmentSpec.Parsed augment) {
            this(name, train, val, test, augment, Fit.resize(train.height(), train.width()));
        }

        /** The same images and geometry with another training set. */
        public Images withTrain(ImageSet set) {
            return new Images(name, set, val, test, augment, fit);
        }

        /** The same with another training and validation set, and test (null for none). */
        public Images with(ImageSet trainSet, ImageSet valSet, ImageSet testSet) {
            return new Images(name, trainSet, valSet, testSet, augment, fit);
        }

        /** The same with another training augmentation, which brings training images to {@code fit} too. */
        public Images withAugment(AugmentSpec.Parsed a) {
            inputSize(fit, a, train, "the model's input size");
            return new Images(name, train, val, test, fitted(a, fit, train), fit);
        }
    }

    /** Loads and splits the data a config names, with its class selection, and parses its augmentation. */
    public static Images images(ResolvedRun run, LoadOptions load, Reporter say) {
        return images(run, load, say, null);
    }

    /**
     * The same, with the input size {@code fallback} (a base model's, or the bundle's under repair)
     * when data.size does not set one; null for the images' own size.
     */
    public static Images images(ResolvedRun run, LoadOptions load, Reporter say, Fit fallback) {
        RunConfig.Data d = run.data();
        RunConfig c = run.config();
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
            say.line("data.train_on_val: the " + val.size() + " validation images are trained on too; validation"
                    + " metrics are not held out");
        }
        ImageSet test = d.useTest() && data.has(Dataset.TEST) && !d.valSplit().equals(Dataset.TEST)
                ? select(data.split(Dataset.TEST), d.classes()) : null;
        Fit asked = d.fit() != null ? d.fit() : fallback;
        AugmentSpec.Parsed aug = run.augment();
        Fit fit = inputSize(asked, aug, train, d.fit() != null ? "data.size" : "the base model's input size");
        aug = fitted(aug, fit, train);
        say.line(String.format(Locale.ROOT, "data: %s, train %d, val %d%s, %dx%dx%d, %d classes%s", data.name(),
                train.size(), val.size(), test == null ? "" : ", test " + test.size(), train.height(), train.width(),
                train.channels(), train.numClasses(), fit.changes(train.height(), train.width())
                        ? "; model input " + fit : ""));
        return new Images(data.name(), train, val, test, aug, fit);
    }

    /**
     * Before any data loads: a training augmentation that sets the size must agree with the input
     * size (data.size, else {@code baseFit}, a base model's; null when it has none).
     */
    static void checkInputSize(ResolvedRun run, Fit baseFit) {
        Fit asked = run.data().fit() != null ? run.data().fit() : baseFit;
        int[] fixed = run.augment().pipeline().fixedSize();
        String spec = "augment.train '" + run.augment().pipeline() + "'";
        if (fixed == null || !run.augment().pipeline().resizes()) {
            return; // the size depends on the images': checked once they are loaded
        }
        if (asked == null) {
            throw new TuneupException(spec + " trains at " + fixed[0] + "x" + fixed[1] + ", but neither data.size nor"
                    + " the base gives an input size, so validation, test, eval and serving would see the images at"
                    + " their own size", "set data.size: " + fixed[0] + " (data.resize says how: crop or stretch)");
        }
        if (fixed[0] != asked.height() || fixed[1] != asked.width()) {
            throw new TuneupException(spec + " trains at " + fixed[0] + "x" + fixed[1] + ", but "
                    + (run.data().fit() != null ? "data.size" : "the base's input size") + " is " + asked.height() + "x"
                    + asked.width(), "make them agree: change the spec's size to " + asked.height()
                    + (run.data().fit() != null ? "" : ", or set data.size: " + fixed[0]));
        }
    }

    /** {@code aug}, led by a {@code fit(...)} step when it keeps {@code train}'s size and {@code fit} changes it. */
    static AugmentSpec.Parsed fitted(AugmentSpec.Parsed aug, Fit fit, ImageSet train) {
        int[] out = aug.pipeline().outputSize(train.height(), train.width());
        if (fit.changes(train.height(), train.width()) && fit.changes(out[0], out[1])) {
            return aug.withFirst(new Geometric.FitTo(fit)); // training sees the size the way evaluation does
        }
        return aug;
    }

    /**
     * The eval geometry: {@code asked} (data.size or a base's), checked against what the training
     * augmentation produces from images of {@code train}'s size; without one, the images' own size.
     */
    static Fit inputSize(Fit asked, AugmentSpec.Parsed aug, ImageSet train, String source) {
        int[] out = aug.pipeline().outputSize(train.height(), train.width());
        boolean same = out[0] == train.height() && out[1] == train.width();
        if (asked == null) {
            if (!same) {
                throw new TuneupException("augment.train '" + aug.pipeline() + "' turns the " + train.height() + "x"
                        + train.width() + " images into " + out[0] + "x" + out[1] + ", but without data.size validation,"
                        + " test, eval and serving would see them at " + train.height() + "x" + train.width(),
                        "set data.size: " + out[0] + " (validation then centre-crops to it; data.resize: stretch"
                                + " resizes instead), or keep the training size");
            }
            return Fit.resize(train.height(), train.width());
        }
        if (!same && (out[0] != asked.height() || out[1] != asked.width())) {
            throw new TuneupException("augment.train '" + aug.pipeline() + "' trains at " + out[0] + "x" + out[1]
                    + ", but " + source + " is " + asked.height() + "x" + asked.width(),
                    "make them agree: set data.size: " + out[0] + ", or change the spec's size to " + asked.height());
        }
        return asked;
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

    public static Opened open(ResolvedRun run, RunDir dir, NDManager manager, LoadOptions load, Reporter say) {
        return open(run, dir, manager, images(run, load, say), say);
    }

    /** A session on images already loaded (e.g. one fold of a cross-fit, or relabelled data). */
    public static Opened open(ResolvedRun run, RunDir dir, NDManager manager, Images images, Reporter say) {
        RunConfig c = run.config();
        ImageSet train = images.train();
        ImageSet val = images.val();
        ImageSet test = images.test();
        AugmentSpec.Parsed aug = images.augment();
        DataStats stats = DataStats.of(train);
        Normalization norm = Normalization.fromStats(stats.mean(), stats.std());
        RunConfig.Training t = c.training();
        BatchLoader trainLoader = BatchLoader.builder(train).batchSize(t.batchSize()).seed(t.seed()).workers(t.workers())
                .transform(aug.pipeline().isEmpty() ? null : aug.pipeline()).mix(aug.mix()).normalization(norm)
                .channelsLast(aug.mix() == null).build(); // 1.1-1.5x faster steps (docs/benchmarks.md); mixing is NCHW
        Preprocessing pre = Preprocessing.of(images.fit(), norm);
        BatchLoader valLoader = Predictor.evalLoader(val, pre, t.batchSize(), t.workers());
        int[] hw = {pre.height(), pre.width()};

        ModelSpec spec = spec(run.model(), train.channels(), hw[0], hw[1], train.numClasses());
        Block model = Networks.create(spec, manager, t.seed());
        say.line("model: " + spec.arch() + " " + ModelStats.of(model, new Shape(1, train.channels(), hw[0], hw[1])));

        Schedule schedule = run.schedule();
        TrainConfig tc = run.training();
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
        TrainingSession session = new TrainingSession(model, manager, run.optimizer().create(), schedule,
                run.optimizer().weightDecay(), name -> false, trainLoader, valLoader, tc,
                new Checkpoints(dir.checkpoints(), t.keepCheckpoints())).withDecayOneDim(run.optimizer().decay1d())
                .withBf16(run.bf16());
        if (run.plateau() != null) {
            session.withPlateau(run.plateau().start());
        }
        say.line("optimizer: " + c.optimizer().name() + ", " + session.groups() + "; schedule: "
                + (schedule != null ? schedule : run.plateau()) + "; " + Bf16.describe(t.precision(), run.bf16()));
        BatchLoader testLoader = test == null ? null : Predictor.evalLoader(test, pre, t.batchSize(), t.workers());
        Map<String, Object> prov = provenance(c, train, trainLoader, aug);
        ModelBundle.Info info = new ModelBundle.Info(Networks.Spec.of(spec), train.classes(), pre, prov);
        return new Opened(session, spec, testLoader, prov, info, val);
    }

    /** The network for the data's input size and classes; a model the data cannot take fails naming why. */
    static ModelSpec spec(ResolvedRun.Model m, int channels, int h, int w, int classes) {
        try {
            return m.spec(channels, h, w, classes);
        } catch (IllegalArgumentException e) {
            throw new TuneupException("config model: " + e.getMessage() + " (the data are " + channels + "x" + h + "x"
                    + w + " in " + classes + " classes)", "choose a model the data fit; see docs/config.md");
        }
    }

    /** What a bundle records of its training; {@code aug} is what trained, which a fold or a repair may set apart from the config. */
    public static Map<String, Object> provenance(RunConfig c, ImageSet train, BatchLoader loader, AugmentSpec.Parsed aug) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("seed", c.training().seed());
        p.put("train_data_sha256", train.contentHash());
        p.put("train_images", train.size());
        p.put("tuneup", dev.tuneup.Version.get());
        p.put("java", System.getProperty("java.version"));
        p.put("djl", "0.36.0");
        p.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        p.put("cpus", Runtime.getRuntime().availableProcessors());
        p.put("torch_threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        p.put("loader_workers", c.training().workers());
        p.put("precision", Bf16.resolve(c.training().precision()) ? "bf16" : "fp32");
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("started", java.time.Instant.now().toString());
        p.put("batches_per_epoch", loader.batchesPerEpoch());
        p.put("augment", aug.toString());
        return p;
    }

}
