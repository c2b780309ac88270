package dev.tuneup.config;

import dev.tuneup.augment.AugmentSpec;
import dev.tuneup.finetune.PhaseSchedules;
import dev.tuneup.finetune.Recipe;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Norms;
import dev.tuneup.repair.RegressionGate;
import dev.tuneup.train.OptimizerSpec;
import dev.tuneup.train.Schedule;
import dev.tuneup.train.Schedules;
import dev.tuneup.train.TrainConfig;
import java.util.List;

/**
 * A run config with every choice resolved and checked ({@link RunConfig#resolve()}): enums for the
 * closed choices, the parsed schedule and augmentation, the training settings. Built before any
 * data is read; what depends on the data (input size, classes, steps per epoch) is applied when a
 * session opens.
 *
 * @param config   the config as written (what a run folder keeps)
 * @param schedule the step-driven schedule (the train default when the config leaves it ""), or null when
 *                 {@code plateau} is set
 * @param plateau  the metric-driven schedule's settings, or null
 * @param gate     the regression gate repairs are judged by
 */
public record ResolvedRun(RunConfig config, AugmentSpec.Parsed augment, Schedule schedule,
                          Schedules.PlateauSchedule.Config plateau, OptimizerSpec optimizer, Model model,
                          TrainConfig training, Finetune finetune, RegressionGate gate) {

    /** The architecture, everything but what the data decides. */
    public record Model(String arch, int depth, double width, List<Integer> convWidths, int kernel, String pool,
                        List<Integer> denseWidths, Activations.Kind activation, Norms.Kind norm, double headDropout,
                        double spatialDropout) {
        /** The network for images of {@code channels x h x w} in {@code classes} classes. */
        public ModelSpec spec(int channels, int h, int w, int classes) {
            return new ModelSpec(arch, depth, width, convWidths, kernel, pool, denseWidths, activation, norm, headDropout,
                    spatialDropout, channels, h, w, classes);
        }
    }

    /**
     * How {@code tuneup finetune} adapts a base.
     *
     * @param base     a bundle, run folder or TorchScript file ("" for none)
     * @param method   the TorchScript method giving features, or null for the default
     * @param lr        peak LR; 0 = the LR finder's suggestion, or with configured {@code schedules} their own LRs
     * @param schedules the phases' schedules from the config ({@code finetune.schedules} or {@code schedule:}), or
     *                  {@link PhaseSchedules#RECIPE}
     * @param headHidden a TorchScript base's MLP head widths; empty for {@code finetune.head: linear}
     */
    public record Finetune(String base, Recipe.Kind recipe, String method, int freezeEpochs, double lr, double lrMult,
                           double layerDecay, int groups, boolean freezeBn, PhaseSchedules schedules,
                           List<Integer> headHidden) {
        /** The recipe's knobs for {@code epochs} at peak LR {@code lr}. */
        public Recipe.Settings settings(int epochs, double lr) {
            return new Recipe.Settings(recipe, epochs, freezeEpochs, lr, lrMult, layerDecay, groups, freezeBn, schedules);
        }

        /** Whether the LR finder picks the LR: no {@code finetune.lr} and no configured schedule. */
        public boolean findsLr() {
            return lr == 0 && schedules.source() == PhaseSchedules.Source.RECIPE;
        }
    }

    /** The data section as written (data sets are named by name or path; nothing is closed there). */
    public RunConfig.Data data() {
        return config.data();
    }

    /** The same run with other loop settings (e.g. a resumed run reopened at the epoch it ended). */
    public ResolvedRun withTraining(TrainConfig t) {
        return new ResolvedRun(config, augment, schedule, plateau, optimizer, model, t, finetune, gate);
    }

    /**
     * Whether training forwards run in bf16 mixed precision: {@code training.precision} bf16, or auto on a
     * CPU that computes bf16 natively ({@link dev.tuneup.model.Bf16#cpuSupports()}).
     */
    public boolean bf16() {
        return dev.tuneup.model.Bf16.resolve(config.training().precision());
    }

    /** Whether a base model is set (then the run fine-tunes instead of training from scratch). */
    public boolean finetunes() {
        return !finetune.base().isBlank();
    }
}
