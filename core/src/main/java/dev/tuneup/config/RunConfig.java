package dev.tuneup.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tuneup.TuneupException;
import java.util.List;

/** A whole run, one record per concern; keys as in {@code defaults.yaml}. */
public record RunConfig(Data data, Augment augment, Model model, Optimizer optimizer, String schedule,
                        Regularization regularization, Training training, Output output, Finetune finetune) {

    /** Which data, and how train and validation sets are formed. */
    public record Data(String name, @JsonProperty("data_dirs") List<String> dataDirs,
                       @JsonProperty("train_split") String trainSplit, @JsonProperty("val_split") String valSplit,
                       @JsonProperty("val_fraction") double valFraction, @JsonProperty("per_class") int perClass,
                       int channels, List<Integer> classes, @JsonProperty("train_on_val") boolean trainOnVal,
                       @JsonProperty("use_test") boolean useTest) {
    }

    /** The training augmentation spec (empty for none). */
    public record Augment(String train) {
    }

    /** The architecture; see {@code dev.tuneup.model.ModelSpec}. */
    public record Model(String arch, int depth, double width, @JsonProperty("conv_widths") List<Integer> convWidths,
                        int kernel, String pool, @JsonProperty("dense_widths") List<Integer> denseWidths,
                        String activation, String norm, @JsonProperty("head_dropout") double headDropout,
                        @JsonProperty("spatial_dropout") double spatialDropout) {
    }

    /** The optimiser and its hyperparameters (the learning rate lives in the schedule). */
    public record Optimizer(String name, double momentum, boolean nesterov, double beta1, double beta2, double eps,
                            double alpha, @JsonProperty("weight_decay") double weightDecay,
                            @JsonProperty("decay_1d") boolean decay1d) {
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
                           @JsonProperty("keep_best") int keepBest) {
    }

    /** How {@code tuneup finetune} adapts a base model; see docs/finetune.md. */
    public record Finetune(String base, String recipe, String method, @JsonProperty("freeze_epochs") int freezeEpochs,
                           double lr, @JsonProperty("lr_mult") double lrMult,
                           @JsonProperty("layer_decay") double layerDecay, int groups, String bn) {
    }

    /** Where runs go. */
    public record Output(String dir, String name) {
    }

    /** Cross-field checks, each saying how to fix it. */
    public RunConfig validate() {
        check(List.of("sgd", "adam", "adamw", "rmsprop", "lion").contains(optimizer.name()), "optimizer.name",
                "'" + optimizer.name() + "' is not one of sgd, adam, adamw, rmsprop, lion");
        check(!optimizer.nesterov() || optimizer.name().equals("sgd") && optimizer.momentum() > 0, "optimizer.nesterov",
                "needs optimizer.name: sgd with momentum > 0");
        check(optimizer.momentum() >= 0 && optimizer.momentum() < 1, "optimizer.momentum", "must be in [0, 1)");
        check(optimizer.weightDecay() >= 0, "optimizer.weight_decay", "must be >= 0");
        check(data.valFraction() > 0 && data.valFraction() < 1, "data.val_fraction", "must be in (0, 1)");
        check(data.perClass() >= 0, "data.per_class", "must be >= 0 (0 = all)");
        check(training.batchSize() >= 1, "training.batch_size", "must be >= 1");
        check(training.workers() >= 0, "training.workers", "must be >= 0");
        check(List.of("stop", "skip").contains(training.divergence()), "training.divergence", "must be stop or skip");
        check(List.of("min", "max").contains(training.monitorMode()), "training.monitor_mode", "must be min or max");
        check(List.of("linear_probe", "full", "fine_tune", "llrd", "gradual").contains(finetune.recipe()),
                "finetune.recipe", "'" + finetune.recipe() + "' is not one of linear_probe, full, fine_tune, llrd, gradual");
        check(List.of("train", "freeze").contains(finetune.bn()), "finetune.bn", "must be train or freeze");
        check(finetune.lr() >= 0, "finetune.lr", "must be >= 0 (0 = use the LR finder's suggestion)");
        check(finetune.lrMult() >= 1, "finetune.lr_mult", "must be >= 1 (head LR / lowest layer's LR)");
        check(finetune.layerDecay() > 0 && finetune.layerDecay() <= 1, "finetune.layer_decay", "must be in (0, 1]");
        check(finetune.groups() >= 2, "finetune.groups", "must be >= 2 (the head is one group)");
        check(finetune.freezeEpochs() >= 0, "finetune.freeze_epochs", "must be >= 0");
        check(output.name().matches("[A-Za-z0-9._-]+"), "output.name", "may only use letters, digits, '.', '_' and '-'");
        return this;
    }

    private static void check(boolean ok, String key, String what) {
        if (!ok) {
            throw new TuneupException("config " + key + " " + what, "change " + key + " in the YAML or with --set " + key + "=...");
        }
    }
}
