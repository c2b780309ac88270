package dev.tuneup.config;

import dev.tuneup.augment.AugmentSpec;
import dev.tuneup.finetune.PhaseSchedules;
import dev.tuneup.finetune.Recipe;
import dev.tuneup.model.Activations;
import dev.tuneup.model.Norms;
import dev.tuneup.repair.RegressionGate;
import dev.tuneup.train.EpochMetrics;
import dev.tuneup.train.Monitor;
import dev.tuneup.train.OptimizerSpec;
import dev.tuneup.train.Schedule;
import dev.tuneup.train.Schedules;
import dev.tuneup.train.TrainConfig;
import java.util.HashSet;
import java.util.List;

/** {@link RunConfig#resolve()}: every key checked, every problem collected, then one typed run. */
final class Resolver {
    private static final List<String> ARCHS = List.of("cnn", "resnet", "resnet18", "wrn");

    private Resolver() {
    }

    static ResolvedRun resolve(RunConfig c) {
        Problems p = new Problems();
        data(c.data(), p);
        AugmentSpec.Parsed augment = p.parse("augment.train", () -> AugmentSpec.parse(c.augment().train()));
        size(c.data(), augment, !c.finetune().base().isBlank(), p);
        ResolvedRun.Model model = model(c.model(), p);
        OptimizerSpec optimizer = optimizer(c.optimizer(), p);
        String spec = c.schedule().isBlank() ? RunConfig.DEFAULT_SCHEDULE : c.schedule();
        boolean plateau = Schedules.isPlateau(spec);
        Schedule schedule = plateau ? null : p.parse("schedule", () -> Schedules.parse(spec));
        Schedules.PlateauSchedule.Config plateauConfig = plateau
                ? p.parse("schedule", () -> Schedules.parsePlateauConfig(spec)) : null;
        TrainConfig training = training(c, p);
        PhaseSchedules phases = c.schedule().isBlank() || schedule == null && plateauConfig == null ? null
                : PhaseSchedules.everyPhase(new PhaseSchedules.Lr(schedule, plateauConfig));
        ResolvedRun.Finetune finetune = finetune(c.finetune(), phases, p);
        RegressionGate gate = gate(c.gate(), p);
        p.check(c.output().name().matches("[A-Za-z0-9._-]+"), "output.name",
                "'" + c.output().name() + "' may only use letters, digits, '.', '_' and '-'");
        p.check(!c.output().dir().isBlank(), "output.dir", "must name a folder");
        p.throwIfAny();
        return new ResolvedRun(c, augment, schedule, plateauConfig, optimizer, model, training, finetune, gate);
    }

    private static void data(RunConfig.Data d, Problems p) {
        p.check(!d.name().isBlank(), "data.name", "must name a data set or a path (tuneup data info lists how)");
        p.check(d.valFraction() > 0 && d.valFraction() < 1, "data.val_fraction", "must be in (0, 1), got " + d.valFraction());
        p.check(d.perClass() >= 0, "data.per_class", "must be >= 0 (0 = all), got " + d.perClass());
        p.check(d.channels() == 1 || d.channels() == 3, "data.channels", "must be 1 or 3, got " + d.channels());
        p.check(d.classes().stream().allMatch(k -> k != null && k >= 0), "data.classes",
                "must list class ids >= 0, got " + d.classes());
        p.check(new HashSet<>(d.classes()).size() == d.classes().size(), "data.classes",
                "lists a class twice: " + d.classes());
        p.check(!d.trainSplit().isBlank(), "data.train_split", "must name a split, e.g. train");
    }

    /**
     * The input size: data.size and its rule, and a train spec that resizes must agree with it, so
     * validation, test, eval and serving never see another size than training did. A fine-tune
     * without data.size is checked against its base's size when the base loads
     * ({@code Sessions.checkInputSize}).
     */
    private static void size(RunConfig.Data d, AugmentSpec.Parsed augment, boolean finetunes, Problems p) {
        boolean size = d.size() >= 0;
        p.check(size, "data.size", "must be >= 0 (0 = the images' own size), got " + d.size());
        boolean rule = List.of("crop", "stretch").contains(d.resize());
        p.check(rule, "data.resize", "'" + d.resize() + "' is not one of crop, stretch"
                + Problems.didYouMean(List.of("crop", "stretch"), d.resize()));
        p.check(d.cropFraction() > 0 && d.cropFraction() <= 1, "data.crop_fraction", "must be in (0, 1] (0.875 keeps"
                + " ImageNet's 224 of 256), got " + d.cropFraction());
        if (augment == null || !size || !rule) {
            return;
        }
        int[] fixed = augment.pipeline().fixedSize();
        String spec = "'" + augment.pipeline() + "'";
        if (d.size() == 0 && augment.pipeline().resizes() && fixed != null && !finetunes) {
            // a fine-tune's base may carry its input size: checked when the base loads, before the data
            p.check(false, "augment.train", spec + " trains at " + fixed[0] + "x" + fixed[1] + ", but data.size is"
                    + " not set, so validation, test, eval and serving would see the images at their own size: set"
                    + " data.size: " + fixed[0] + (fixed[0] == fixed[1] ? "" : " (a square size; or drop the resize)")
                    + " (data.resize says how: crop, the default, or stretch)");
        } else if (d.size() > 0 && fixed != null && (fixed[0] != d.size() || fixed[1] != d.size())) {
            p.check(false, "augment.train", spec + " trains at " + fixed[0] + "x" + fixed[1] + ", but data.size is "
                    + d.size() + ": make them agree (training and evaluation must see one size)");
        }
    }

    private static ResolvedRun.Model model(RunConfig.Model m, Problems p) {
        boolean arch = ARCHS.contains(m.arch());
        if (!arch) {
            p.check(false, "model.arch", "'" + m.arch() + "' is not one of " + String.join(", ", ARCHS)
                    + Problems.didYouMean(ARCHS, m.arch()));
        }
        Activations.Kind activation = p.choice("model.activation", m.activation(), Activations.Kind.class);
        Norms.Kind norm = p.choice("model.norm", m.norm(), Norms.Kind.class);
        boolean widths = positive(m.convWidths(), "model.conv_widths", p) & positive(m.denseWidths(), "model.dense_widths", p);
        if (!arch || activation == null || norm == null || !widths) {
            return null;
        }
        ResolvedRun.Model model = new ResolvedRun.Model(m.arch(), m.depth(), m.width(), m.convWidths(), m.kernel(),
                m.pool(), m.denseWidths(), activation, norm, m.headDropout(), m.spatialDropout());
        // the data decide input size and classes; a plausible stand-in checks everything else now
        return p.parse("model", () -> model.spec(3, 32, 32, 10)) == null ? null : model;
    }

    private static boolean positive(List<Integer> widths, String key, Problems p) {
        boolean ok = widths.stream().allMatch(w -> w != null && w >= 1);
        p.check(ok, key, "must list layer widths >= 1, got " + widths);
        return ok;
    }

    private static OptimizerSpec optimizer(RunConfig.Optimizer o, Problems p) {
        OptimizerSpec.Kind kind = p.choice("optimizer.name", o.name(), OptimizerSpec.Kind.class);
        p.check(!o.nesterov() || kind == OptimizerSpec.Kind.SGD && o.momentum() > 0, "optimizer.nesterov",
                "needs optimizer.name: sgd with momentum > 0");
        p.check(o.momentum() >= 0 && o.momentum() < 1, "optimizer.momentum", "must be in [0, 1), got " + o.momentum());
        p.check(o.beta1() >= 0 && o.beta1() < 1, "optimizer.beta1", "must be in [0, 1), got " + o.beta1());
        p.check(o.beta2() >= 0 && o.beta2() < 1, "optimizer.beta2", "must be in [0, 1), got " + o.beta2());
        p.check(o.eps() > 0, "optimizer.eps", "must be > 0, got " + o.eps());
        p.check(o.alpha() >= 0 && o.alpha() < 1, "optimizer.alpha", "must be in [0, 1), got " + o.alpha());
        p.check(o.weightDecay() >= 0, "optimizer.weight_decay", "must be >= 0, got " + o.weightDecay());
        return kind == null ? null : new OptimizerSpec(kind, o.momentum(), o.nesterov(), o.beta1(), o.beta2(), o.eps(),
                o.alpha(), o.weightDecay(), o.decay1d());
    }

    private static TrainConfig training(RunConfig c, Problems p) {
        RunConfig.Training t = c.training();
        RunConfig.Regularization r = c.regularization();
        int before = p.count();
        p.check(t.epochs() >= 1, "training.epochs", "must be >= 1, got " + t.epochs());
        p.check(t.batchSize() >= 1, "training.batch_size", "must be >= 1, got " + t.batchSize());
        p.check(t.workers() >= 0, "training.workers", "must be >= 0, got " + t.workers());
        TrainConfig.Divergence divergence = p.choice("training.divergence", t.divergence(), TrainConfig.Divergence.class);
        boolean metric = EpochMetrics.NAMES.contains(t.monitor());
        p.check(metric, "training.monitor", "'" + t.monitor() + "' is not one of " + String.join(", ", EpochMetrics.NAMES)
                + Problems.didYouMean(EpochMetrics.NAMES, t.monitor()));
        Monitor.Mode mode = p.choice("training.monitor_mode", t.monitorMode(), Monitor.Mode.class);
        p.check(t.minDelta() >= 0, "training.min_delta", "must be >= 0, got " + t.minDelta());
        p.check(t.patience() >= 0, "training.patience", "must be >= 0 (0 = never stop early), got " + t.patience());
        p.check(t.checkpointEvery() >= 0, "training.checkpoint_every", "must be >= 0 (0 = epoch ends only), got "
                + t.checkpointEvery());
        p.check(t.keepCheckpoints() >= 1, "training.keep_checkpoints", "must be >= 1, got " + t.keepCheckpoints());
        p.check(t.keepBest() >= 1, "training.keep_best", "must be >= 1, got " + t.keepBest());
        p.check(t.precision() != null && dev.tuneup.model.Bf16.PRECISIONS.contains(t.precision()),
                "training.precision", "must be auto, bf16 or fp32, got '" + t.precision() + "'");
        p.check(r.labelSmoothing() >= 0 && r.labelSmoothing() < 1, "regularization.label_smoothing",
                "must be in [0, 1), got " + r.labelSmoothing());
        p.check(r.l1() >= 0, "regularization.l1", "must be >= 0, got " + r.l1());
        p.check(r.clipNorm() >= 0, "regularization.clip_norm", "must be >= 0 (0 = no clipping), got " + r.clipNorm());
        if (p.count() > before) {
            return null;
        }
        return p.parse("training", () -> new TrainConfig(t.epochs(), t.seed(), r.labelSmoothing(), r.l1(), r.clipNorm(),
                divergence, new Monitor(t.monitor(), mode, t.minDelta()), t.patience(), t.restoreBest(),
                t.checkpointEvery(), t.keepCheckpoints(), t.keepBest()));
    }

    private static RegressionGate gate(RunConfig.Gate g, Problems p) {
        p.check(g.alpha() > 0 && g.alpha() < 1, "gate.alpha", "must be in (0, 1), got " + g.alpha());
        p.check(g.classMargin() >= 0 && g.classMargin() <= 1, "gate.class_margin", "must be in [0, 1] (a fraction: 0.02"
                + " is two points), got " + g.classMargin());
        RegressionGate.ClassCheck check = p.choice("gate.class_check", g.classCheck(), RegressionGate.ClassCheck.class);
        return check == null || !(g.alpha() > 0 && g.alpha() < 1) || !(g.classMargin() >= 0 && g.classMargin() <= 1)
                ? null : new RegressionGate(g.alpha(), g.classMargin(), check);
    }

    /**
     * The finetune section; {@code everyPhase} is the config's own {@code schedule:} (null when it
     * has none), which replaces the recipe's schedules unless {@code finetune.schedules} does.
     */
    private static ResolvedRun.Finetune finetune(RunConfig.Finetune f, PhaseSchedules everyPhase, Problems p) {
        Recipe.Kind recipe = p.choice("finetune.recipe", f.recipe(), Recipe.Kind.class);
        p.check(List.of("train", "freeze").contains(f.bn()), "finetune.bn", "'" + f.bn() + "' is not one of train, freeze"
                + Problems.didYouMean(List.of("train", "freeze"), f.bn()));
        p.check(f.lr() >= 0, "finetune.lr", "must be >= 0 (0 = use the LR finder's suggestion), got " + f.lr());
        p.check(f.lrMult() >= 1, "finetune.lr_mult", "must be >= 1 (head LR / lowest layer's LR), got " + f.lrMult());
        p.check(f.layerDecay() > 0 && f.layerDecay() <= 1, "finetune.layer_decay", "must be in (0, 1], got "
                + f.layerDecay());
        p.check(f.groups() >= 2, "finetune.groups", "must be >= 2 (the head is one group), got " + f.groups());
        p.check(f.freezeEpochs() >= 0, "finetune.freeze_epochs", "must be >= 0, got " + f.freezeEpochs());
        PhaseSchedules schedules = phaseSchedules(f, recipe, everyPhase, p);
        List<String> heads = List.of("linear", "mlp");
        boolean head = heads.contains(f.head());
        p.check(head, "finetune.head", "'" + f.head() + "' is not one of linear, mlp" + Problems.didYouMean(heads, f.head()));
        boolean hidden = !f.headHidden().isEmpty() && f.headHidden().stream().allMatch(w -> w != null && w >= 1);
        p.check(hidden || !"mlp".equals(f.head()), "finetune.head_hidden", "must list the MLP head's hidden widths"
                + " (>= 1, e.g. [512]), got " + f.headHidden());
        return recipe == null || schedules == null || !head ? null : new ResolvedRun.Finetune(f.base(), recipe,
                f.method().isBlank() ? null : f.method(), f.freezeEpochs(), f.lr(), f.lrMult(), f.layerDecay(),
                f.groups(), f.bn().equals("freeze"), schedules,
                "mlp".equals(f.head()) ? List.copyOf(f.headHidden()) : List.of());
    }

    /** {@code finetune.schedules}, else the config's {@code schedule:}, else the recipe's own; null after a problem. */
    private static PhaseSchedules phaseSchedules(RunConfig.Finetune f, Recipe.Kind recipe, PhaseSchedules everyPhase,
                                                 Problems p) {
        List<String> specs = f.schedules();
        if (specs.isEmpty()) {
            return everyPhase != null ? everyPhase : PhaseSchedules.RECIPE;
        }
        if (everyPhase != null) {
            p.check(false, "finetune.schedules", "is set together with schedule: (" + everyPhase.given().get(0)
                    + "); keep one: schedule: runs in every phase, finetune.schedules gives one per phase");
            return null;
        }
        int phases = recipe == null ? -1 : Recipe.phaseCount(recipe, f.freezeEpochs());
        if (phases > 0 && phases != specs.size()) {
            String freeze = recipe == Recipe.Kind.FINE_TUNE ? " (finetune.freeze_epochs: " + f.freezeEpochs() + ")" : "";
            p.check(false, "finetune.schedules", "lists " + specs.size() + " schedule" + (specs.size() == 1 ? "" : "s")
                    + " but recipe " + recipe.configName() + " has " + phases + " phase" + (phases == 1 ? "" : "s")
                    + freeze + "; give one per phase");
            return null;
        }
        List<PhaseSchedules.Lr> lrs = new java.util.ArrayList<>();
        for (int k = 0; k < specs.size(); k++) {
            String s = specs.get(k) == null ? "" : specs.get(k).strip();
            String key = "finetune.schedules[" + k + "]";
            PhaseSchedules.Lr lr = Schedules.isPlateau(s)
                    ? p.parse(key, () -> PhaseSchedules.Lr.of(Schedules.parsePlateauConfig(s)))
                    : p.parse(key, () -> PhaseSchedules.Lr.of(Schedules.parse(s)));
            if (lr == null) {
                return null;
            }
            lrs.add(lr);
        }
        return PhaseSchedules.perPhase(lrs);
    }
}
