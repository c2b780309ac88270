package dev.tuneup.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.config.ConfigException;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.train.Schedule;
import dev.tuneup.train.Schedules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Configured schedules in each recipe's phases: as written, scaled to the recipe's LRs, per phase, refused. */
class PhaseSchedulesTest {
    private static ResolvedRun resolve(String... sets) {
        return ConfigLoader.load(null, List.of(sets)).resolve();
    }

    private static List<Recipe.Phase> plan(Layers layers, String recipe, double lr, String... sets) {
        List<String> all = new ArrayList<>(List.of(sets));
        all.add("finetune.recipe=" + recipe);
        return Recipe.plan(resolve(all.toArray(new String[0])).finetune().settings(6, lr), layers);
    }

    private static List<String> schedules(List<Recipe.Phase> phases) {
        return phases.stream().map(p -> String.valueOf(p.schedule() != null ? p.schedule() : p.plateau())).toList();
    }

    @Test
    void everyKindScalesItsLrArgumentsOnlyAndPrintsAParsableSpec() {
        for (String spec : List.of("constant(lr=0.1)", "step(lr=0.1,every=7,gamma=0.5)", "multistep(lr=0.1,at=(5,9),gamma=0.1)",
                "exponential(lr=0.1,gamma=0.9)", "poly(lr=0.1,power=2,min=0.01)", "cosine(lr=0.1,min=0.02,restarts=2,mult=2)",
                "onecycle(max=0.1,pct=0.25,div=10,final=100)", "cyclic(base=0.01,max=0.1,half=3,mode=exp_range,gamma=0.99)",
                "cosine(lr=0.1,min=0,warmup=4,warmup_start=0.1)")) {
            Schedule s = Schedules.parse(spec);
            Schedule half = s.scaled(0.5);
            assertEquals(half, Schedules.parse(half.toString()), spec);
            assertEquals(0.05, half.peak(), 1e-15, spec);
            double highest = 0;
            for (long t = 0; t < 20; t++) {
                assertEquals(0.5 * s.at(t, 20), half.at(t, 20), 1e-15, spec + " at " + t);
                highest = Math.max(highest, s.at(t, 20));
            }
            assertTrue(highest <= s.peak() + 1e-15, spec + " exceeds its peak: " + highest);
        }
    }

    @Test
    void theDefaultScheduleIsTrainsAndLeavesFineTuneToTheRecipe() {
        ResolvedRun plain = resolve();
        assertEquals("", plain.config().schedule(), "nothing written: the command decides");
        assertEquals("cosine(lr=0.02,min=0)", plain.schedule().toString(), "train's default");
        assertEquals(PhaseSchedules.RECIPE, plain.finetune().schedules());
        assertTrue(plain.finetune().findsLr());
        ResolvedRun set = resolve("schedule=cosine(lr=0.02)");
        assertEquals(PhaseSchedules.Source.EVERY_PHASE, set.finetune().schedules().source(),
                "the same schedule written by the user is the user's");
        assertTrue(!set.finetune().findsLr(), "the schedule names the LR");
        String saved = ConfigLoader.toYaml(set.config());
        assertTrue(saved.contains("schedule: cosine(lr=0.02)"), saved);
        assertTrue(ConfigLoader.toYaml(plain.config()).contains("schedule: \"\""), "a saved config keeps it unset");
    }

    @Test
    void eachRecipeRunsTheScheduleAsWrittenOrScaledToItsPhaseLr() {
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.nn.Block model = Networks.create(ModelSpec.resnet(8, 3, 16, 4), m, 1);
            Layers layers = Layers.of(model);
            List<String> params = model.getParameters().stream().filter(p -> p.getValue().requiresGradient())
                    .map(ai.djl.util.Pair::getKey).toList();
            for (Recipe.Kind kind : Recipe.Kind.values()) {
                String recipe = kind.name().toLowerCase(Locale.ROOT);
                List<Recipe.Phase> own = plan(layers, recipe, 0.01);
                List<Recipe.Phase> written = plan(layers, recipe, 0, "schedule=constant(lr=0.001)");
                List<Recipe.Phase> scaled = plan(layers, recipe, 0.01, "schedule=cosine(lr=1,min=0.1)");
                assertEquals(own.size(), written.size(), recipe);
                for (int k = 0; k < own.size(); k++) {
                    String at = recipe + " phase " + (k + 1);
                    assertTrue(own.get(k).schedule() instanceof Schedule.OneCycle, at);
                    assertEquals("", own.get(k).scheduleKey(), at);
                    assertEquals("constant(lr=0.001)", written.get(k).schedule().toString(), at);
                    assertEquals("schedule", written.get(k).scheduleKey(), at);
                    double peak = own.get(k).schedule().peak(); // the recipe's LR for the phase: lr, or lr/2 unfrozen
                    assertEquals(new Schedule.Cosine(peak, 0.1 * peak, 0, 1), scaled.get(k).schedule(), at);
                    assertEquals(own.get(k).name(), written.get(k).name(), at);
                    for (String p : params) { // frozen parameters and LR multipliers are the recipe's
                        assertEquals(own.get(k).frozen().test(p), written.get(k).frozen().test(p), at + " " + p);
                        assertEquals(own.get(k).lrScale().applyAsDouble(p), written.get(k).lrScale().applyAsDouble(p),
                                0.0, at + " " + p);
                    }
                }
            }
            List<Recipe.Phase> ft = plan(layers, "fine_tune", 0.01, "schedule=constant(lr=1)");
            assertEquals(List.of("constant(lr=0.01)", "constant(lr=0.005)"), schedules(ft), "lr, then lr/2 unfrozen");
            assertTrue(ft.get(1).describe().endsWith("constant(lr=0.005) (schedule)"), ft.get(1).describe());
        }
    }

    @Test
    void aListGivesEachPhaseItsOwnAndAWrongLengthOrBothKeysAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            Layers layers = Layers.of(Networks.create(ModelSpec.resnet(8, 3, 16, 4), m, 1));
            List<Recipe.Phase> ft = plan(layers, "fine_tune", 0,
                    "finetune.schedules=[\"constant(lr=0.003)\", \"plateau(lr=0.002,patience=1)\"]");
            assertEquals(List.of("constant(lr=0.003)", "plateau(lr=0.002,factor=0.1,patience=1,mode=min,threshold=0.0001,"
                    + "cooldown=0,min=0)"), schedules(ft));
            assertEquals(List.of("finetune.schedules[0]", "finetune.schedules[1]"),
                    ft.stream().map(Recipe.Phase::scheduleKey).toList());
            assertEquals(0.001, plan(layers, "fine_tune", 0.002, "finetune.schedules=[\"constant(lr=7)\","
                    + " \"plateau(lr=0.5)\"]").get(1).plateau().lr(), 1e-15, "a plateau scales too: lr/2");

            // gradual's phases depend on the model's layer groups: counted when the plan is made
            List<String> three = List.of("constant(lr=0.1)", "constant(lr=0.1)", "constant(lr=0.1)");
            assertEquals(3, plan(layers, "gradual", 0, "finetune.schedules=" + three).size());
            TuneupException gradual = assertThrows(TuneupException.class, () -> plan(layers, "gradual", 0,
                    "finetune.schedules=[\"constant(lr=0.1)\", \"constant(lr=0.1)\"]"));
            assertTrue(gradual.getMessage().contains("finetune.schedules lists 2 schedules but recipe gradual has 3 phases"
                    + " here: top 1 of 3 groups; top 2 of 3 groups; all groups"), gradual.getMessage());
        }
        ConfigException count = assertThrows(ConfigException.class, () -> resolve("finetune.recipe=fine_tune",
                "finetune.schedules=[\"constant(lr=0.1)\"]"));
        assertTrue(count.getMessage().contains("finetune.schedules lists 1 schedule but recipe fine_tune has 2 phases"
                + " (finetune.freeze_epochs: 1)"), count.getMessage());
        ConfigException both = assertThrows(ConfigException.class, () -> resolve("schedule=constant(lr=0.1)",
                "finetune.recipe=full", "finetune.schedules=[\"constant(lr=0.1)\"]"));
        assertTrue(both.getMessage().contains("finetune.schedules is set together with schedule: (constant(lr=0.1))"),
                both.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> resolve("finetune.recipe=full",
                "finetune.schedules=[\"cosin(lr=0.1)\"]"));
        assertTrue(bad.getMessage().contains("finetune.schedules[0]: unknown schedule 'cosin'"), bad.getMessage());
    }
}
