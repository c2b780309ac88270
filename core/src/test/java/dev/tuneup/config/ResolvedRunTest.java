package dev.tuneup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.finetune.Recipe;
import dev.tuneup.model.Activations;
import dev.tuneup.model.Norms;
import dev.tuneup.repair.RegressionGate;
import dev.tuneup.train.Monitor;
import dev.tuneup.train.OptimizerSpec;
import dev.tuneup.train.TrainConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RunConfig.resolve(): typed values for every closed choice, all problems at once, typed copies. */
class ResolvedRunTest {
    @Test
    void defaultsResolveToTypedValues() {
        ResolvedRun r = ConfigLoader.load(null, List.of()).resolve();
        assertEquals(OptimizerSpec.Kind.SGD, r.optimizer().kind());
        assertEquals(0.9, r.optimizer().momentum());
        assertEquals(Activations.Kind.RELU, r.model().activation());
        assertEquals(Norms.Kind.BATCH, r.model().norm());
        assertEquals(Recipe.Kind.FINE_TUNE, r.finetune().recipe());
        assertNull(r.finetune().method(), "an empty method means the default");
        assertEquals(TrainConfig.Divergence.STOP, r.training().divergence());
        assertEquals(new Monitor("val_acc", Monitor.Mode.MAX, 0), r.training().monitor());
        assertEquals(0.02, r.schedule().at(0, 100), 1e-12, "cosine(lr=0.02) starts at its peak");
        assertNull(r.plateau());
        assertTrue(r.augment().pipeline().isEmpty());
        assertEquals(10, r.model().spec(3, 32, 32, 10).numClasses());
        assertEquals(new RegressionGate(0.05, 0.02, RegressionGate.ClassCheck.TEST), r.gate());
    }

    @Test
    void plateauIsAMetricDrivenScheduleAndAugmentationIsParsed() {
        ResolvedRun r = ConfigLoader.load(null, List.of("schedule=plateau(lr=0.1,patience=2)",
                "augment.train=crop(32,pad=4) | hflip", "model.activation=GELU")).resolve();
        assertNull(r.schedule());
        assertNotNull(r.plateau());
        assertEquals(0.1, r.plateau().start().lr(), 1e-12);
        assertEquals("crop(32,pad=4) | hflip", r.augment().pipeline().toString());
        assertEquals(Activations.Kind.GELU, r.model().activation());
    }

    @Test
    void everyProblemIsCollected() {
        RunConfig c = ConfigLoader.load(null, List.of());
        RunConfig bad = c.withTraining(c.training().withEpochs(0)).withSchedule("cosin(lr=0.1)")
                .withOptimizer(c.optimizer().with("adamm", -1));
        ConfigException e = assertThrows(ConfigException.class, bad::resolve);
        assertEquals(4, e.problems().size(), e.problems().toString());
        assertTrue(e.getMessage().contains("did you mean cosine?"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean adam?"), e.getMessage());
        assertTrue(e.getMessage().contains("optimizer.weight_decay must be >= 0"), e.getMessage());
    }

    @Test
    void typedCopiesWriteTheSameYamlAsOverrides() {
        RunConfig c = ConfigLoader.load(null, List.of());
        RunConfig typed = c.withData(c.data().withName("cifar10").withClasses(List.of(5, 6)).withPerClass(100))
                .withFinetune(c.finetune().withBase("base").withRecipe("full").withLr(3e-4))
                .withTraining(c.training().withEpochs(3).withRestoreBest(false)).withOutput("out", "x");
        RunConfig strings = ConfigLoader.load(null, List.of("data.name=cifar10", "data.classes=[5, 6]",
                "data.per_class=100", "finetune.base=base", "finetune.recipe=full", "finetune.lr=0.0003",
                "training.epochs=3", "training.restore_best=false", "output.dir=out", "output.name=x"));
        assertEquals(ConfigLoader.toYaml(strings), ConfigLoader.toYaml(typed));
    }

    @Test
    void theHeadKeysResolveAndBadValuesNameTheKey() {
        assertEquals(List.of(), ConfigLoader.load(null, List.of()).resolve().finetune().headHidden());
        assertEquals(List.of(256, 64), ConfigLoader.load(null, List.of("finetune.head=mlp",
                "finetune.head_hidden=[256, 64]")).resolve().finetune().headHidden());
        assertEquals(List.of(512), ConfigLoader.load(null, List.of("finetune.head=mlp")).resolve().finetune().headHidden());
        ConfigException kind = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                List.of("finetune.head=mpl")).resolve());
        assertTrue(kind.getMessage().contains("finetune.head"), kind.getMessage());
        assertTrue(kind.getMessage().contains("did you mean mlp?"), kind.getMessage());
        ConfigException widths = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                List.of("finetune.head=mlp", "finetune.head_hidden=[0]")).resolve());
        assertTrue(widths.getMessage().contains("finetune.head_hidden must list"), widths.getMessage());
        ConfigException type = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                List.of("finetune.head_hidden=wide")));
        assertTrue(type.getMessage().contains("finetune.head_hidden"), type.getMessage());
    }

    @Test
    void precisionIsAutoBf16OrFp32() {
        assertEquals("auto", ConfigLoader.load(null, List.of()).training().precision());
        assertTrue(ConfigLoader.load(null, List.of("training.precision=bf16")).resolve().bf16());
        assertTrue(!ConfigLoader.load(null, List.of("training.precision=fp32")).resolve().bf16());
        assertEquals(dev.tuneup.model.Bf16.cpuSupports(), ConfigLoader.load(null, List.of()).resolve().bf16());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                List.of("training.precision=fp16")).resolve());
        assertTrue(e.getMessage().contains("training.precision") && e.getMessage().contains("fp16"), e.getMessage());
    }
}
