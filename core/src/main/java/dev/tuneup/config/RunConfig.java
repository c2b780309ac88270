package dev.tuneup.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A whole run, one record per concern; keys as in {@code defaults.yaml}.
 *
 * @param schedule the LR schedule spec; "" leaves it to the command (train: {@link #DEFAULT_SCHEDULE}; finetune:
 *                 the recipe's), so a schedule the user wrote is told apart from a default, in run folders too
 */
public record RunConfig(Data data, Augment augment, Model model, Optimizer optimizer, String schedule,
                        Regularization regularization, Training training, Output output, Finetune finetune, Gate gate) {
    /** What {@code tuneup train} uses when {@code schedule} is "". */
    public static final String DEFAULT_SCHEDULE = "cosine(lr=0.02)";

    /** Which data, and how train and validation sets are formed. */
    public record Data(String name, @JsonProperty("data_dirs") List<String> dataDirs,
                       @JsonProperty("train_split") String trainSplit, @JsonProperty("val_split") String valSplit,
                       @JsonProperty("val_fraction") double valFraction, @JsonProperty("per_class") int perClass,
                       int channels, List<Integer> classes, @JsonProperty("train_on_val") boolean trainOnVal,
                       @JsonProperty("use_test") boolean useTest, int size, String resize,
                       @JsonProperty("crop_fraction") double cropFraction) {
        public Data withName(String n) {
            return new Data(n, dataDirs, trainSplit, valSplit, valFraction, perClass, channels, classes, trainOnVal, useTest, size, resize, cropFraction);
        }

        public Data withDataDirs(List<String> dirs) {
            return new Data(name, List.copyOf(dirs), trainSplit, valSplit, valFraction, perClass, channels, classes,
                    trainOnVal, useTest, size, resize, cropFraction);
        }

        public Data withValFraction(double f) {
            return new Data(name, dataDirs, trainSplit, valSplit, f, perClass, channels, classes, trainOnVal, useTest, size, resize, cropFraction);
        }

        public Data withPerClass(int n) {
            return new Data(name, dataDirs, trainSplit, valSplit, valFraction, n, channels, classes, trainOnVal, useTest, size, resize, cropFraction);
        }

        /** The input size {@code s x s} (0 = the images' own), reached by {@code resize} (crop or stretch). */
        public Data withSize(int s, String rule, double fraction) {
            return new Data(name, dataDirs, trainSplit, valSplit, valFraction, perClass, channels, classes, trainOnVal,
                    useTest, s, rule, fraction);
        }

        /** The eval geometry data.size asks for, or null for the images' own size. */
        public dev.tuneup.data.Fit fit() {
            return size <= 0 ? null : new dev.tuneup.data.Fit(size, size, "stretch".equals(resize) ? 0 : cropFraction);
        }

        public Data withClasses(List<Integer> ids) {
            return new Data(name, dataDirs, trainSplit, valSplit, valFraction, perClass, channels, List.copyOf(ids),
                    trainOnVal, useTest, size, resize, cropFraction);
        }
    }

    /** The training augmentation spec (empty for none). */
    public record Augment(String train) {
    }

    /** The architecture; see {@code dev.tuneup.model.ModelSpec}. */
    public record Model(String arch, int depth, double width, @JsonProperty("conv_widths") List<Integer> convWidths,
                        int kernel, String pool, @JsonProperty("dense_widths") List<Integer> denseWidths,
                        String activation, String norm, @JsonProperty("head_dropout") double headDropout,
                        @JsonProperty("spatial_dropout") double spatialDropout) {
        /** A CNN's conv stages, dense layers and dropout before the head. */
        public Model withCnn(List<Integer> conv, List<Integer> dense, double dropout) {
            return new Model(arch, depth, width, List.copyOf(conv), kernel, pool, List.copyOf(dense), activation, norm,
                    dropout, spatialDropout);
        }
    }

    /** The optimiser and its hyperparameters (the learning rate lives in the schedule). */
    public record Optimizer(String name, double momentum, boolean nesterov, double beta1, double beta2, double eps,
                            double alpha, @JsonProperty("weight_decay") double weightDecay,
                            @JsonProperty("decay_1d") boolean decay1d) {
        public Optimizer with(String optimizer, double decay) {
            return new Optimizer(optimizer, momentum, nesterov, beta1, beta2, eps, alpha, decay, decay1d);
        }
    }

    /** Loss-side regularisation. */
    public record Regularization(@JsonProperty("label_smoothing") double labelSmoothing, double l1,
                                 @JsonProperty("clip_norm") double clipNorm) {
    }

    /** The loop. */
    public record Training(int epochs, @JsonProperty("batch_size") int batchSize, long seed, int workers,
                           String divergence, String monitor, @JsonProperty("monitor_mode") String monitorMode,
                           @JsonProperty("min_delta") double minDelta, int patience,
                           @JsonProperty("restore_best") boolean restoreBest,
                           @JsonProperty("checkpoint_every") long checkpointEvery,
                           @JsonProperty("keep_checkpoints") int keepCheckpoints,
                           @JsonProperty("keep_best") int keepBest, String precision) {
        public Training withEpochs(int n) {
            return new Training(n, batchSize, seed, workers, divergence, monitor, monitorMode, minDelta, patience,
                    restoreBest, checkpointEvery, keepCheckpoints, keepBest, precision);
        }

        public Training withBatchSize(int n) {
            return new Training(epochs, n, seed, workers, divergence, monitor, monitorMode, minDelta, patience,
                    restoreBest, checkpointEvery, keepCheckpoints, keepBest, precision);
        }

        public Training withSeed(long s) {
            return new Training(epochs, batchSize, s, workers, divergence, monitor, monitorMode, minDelta, patience,
                    restoreBest, checkpointEvery, keepCheckpoints, keepBest, precision);
        }

        public Training withRestoreBest(boolean on) {
            return new Training(epochs, batchSize, seed, workers, divergence, monitor, monitorMode, minDelta, patience,
                    on, checkpointEvery, keepCheckpoints, keepBest, precision);
        }
    }

    /** How {@code tuneup finetune} adapts a base model; see docs/finetune.md. */
    public record Finetune(String base, String recipe, String method, @JsonProperty("freeze_epochs") int freezeEpochs,
                           double lr, @JsonProperty("lr_mult") double lrMult,
                           @JsonProperty("layer_decay") double layerDecay, int groups, String bn,
                           List<String> schedules, String head, @JsonProperty("head_hidden") List<Integer> headHidden) {
        public Finetune withBase(String b) {
            return new Finetune(b, recipe, method, freezeEpochs, lr, lrMult, layerDecay, groups, bn, schedules, head,
                    headHidden);
        }

        public Finetune withRecipe(String r) {
            return new Finetune(base, r, method, freezeEpochs, lr, lrMult, layerDecay, groups, bn, schedules, head,
                    headHidden);
        }

        public Finetune withLr(double peak) {
            return new Finetune(base, recipe, method, freezeEpochs, peak, lrMult, layerDecay, groups, bn, schedules, head,
                    headHidden);
        }

        /** fastai's fine_tune knobs: frozen epochs first, then LRs spread by {@code mult} over {@code n} groups. */
        public Finetune withDiscriminative(int frozen, double mult, int n) {
            return new Finetune(base, recipe, method, frozen, lr, mult, layerDecay, n, bn, schedules, head, headHidden);
        }

        /** One schedule spec per phase of the recipe (empty: the recipe's own). */
        public Finetune withSchedules(List<String> perPhase) {
            return new Finetune(base, recipe, method, freezeEpochs, lr, lrMult, layerDecay, groups, bn,
                    List.copyOf(perPhase), head, headHidden);
        }

        /** A TorchScript base's head: {@code linear}, or {@code mlp} with these hidden widths. */
        public Finetune withHead(String kind, List<Integer> hidden) {
            return new Finetune(base, recipe, method, freezeEpochs, lr, lrMult, layerDecay, groups, bn, schedules, kind,
                    List.copyOf(hidden));
        }
    }

    /**
     * How the regression gate judges a repaired candidate (docs/repair.md).
     *
     * @param alpha       significance level of every test
     * @param classMargin the per-class recall drop that counts as a regression
     * @param classCheck  test: a drop must exceed the margin beyond chance; fixed: any observed drop over it
     */
    public record Gate(double alpha, @JsonProperty("class_margin") double classMargin,
                       @JsonProperty("class_check") String classCheck) {
    }

    /** Where runs go. */
    public record Output(String dir, String name) {
    }

    /**
     * Every key checked and every closed choice resolved, before any file is read; all problems are
     * reported at once in a {@link ConfigException}.
     */
    public ResolvedRun resolve() {
        return Resolver.resolve(this);
    }

    // Typed copies: internal code changes a config with these, never with "key=value" strings.

    public RunConfig withData(Data d) {
        return new RunConfig(d, augment, model, optimizer, schedule, regularization, training, output, finetune, gate);
    }

    public RunConfig withAugment(String train) {
        return new RunConfig(data, new Augment(train), model, optimizer, schedule, regularization, training, output,
                finetune, gate);
    }

    public RunConfig withModel(Model m) {
        return new RunConfig(data, augment, m, optimizer, schedule, regularization, training, output, finetune, gate);
    }

    public RunConfig withOptimizer(Optimizer o) {
        return new RunConfig(data, augment, model, o, schedule, regularization, training, output, finetune, gate);
    }

    public RunConfig withSchedule(String s) {
        return new RunConfig(data, augment, model, optimizer, s, regularization, training, output, finetune, gate);
    }

    public RunConfig withTraining(Training t) {
        return new RunConfig(data, augment, model, optimizer, schedule, regularization, t, output, finetune, gate);
    }

    public RunConfig withOutput(String dir, String name) {
        return new RunConfig(data, augment, model, optimizer, schedule, regularization, training, new Output(dir, name),
                finetune, gate);
    }

    public RunConfig withFinetune(Finetune f) {
        return new RunConfig(data, augment, model, optimizer, schedule, regularization, training, output, f, gate);
    }
}
