package dev.tuneup.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.util.Pair;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recipes as phases: which parameters train, at which LR multiples. */
class RecipeTest {
    private static List<String> names(Block b) {
        return b.getParameters().stream().filter(p -> p.getValue().requiresGradient()).map(Pair::getKey).toList();
    }

    private static Recipe.Settings settings(String recipe) {
        return new Recipe.Settings(Recipe.Kind.valueOf(recipe.toUpperCase(java.util.Locale.ROOT)), 6, 1, 0.01, 100, 0.5, 3, false);
    }

    @Test
    void phasesFreezeAndScaleByLayer() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block model = Networks.create(ModelSpec.resnet(8, 3, 16, 4), m, 1);
            Layers layers = Layers.of(model);
            List<String> params = names(model);
            String head = params.get(params.size() - 1);
            String first = params.get(0);
            assertTrue(layers.isHead(head) && !layers.isHead(first), layers.toString());
            assertEquals(3, layers.groups(3).size());

            Recipe.Phase probe = Recipe.plan(settings("linear_probe"), layers).get(0);
            assertTrue(probe.frozen().test(first) && !probe.frozen().test(head) && probe.backboneInference());

            List<Recipe.Phase> ft = Recipe.plan(settings("fine_tune"), layers);
            assertEquals(2, ft.size());
            assertEquals(1, ft.get(0).epochs());
            assertTrue(ft.get(0).frozen().test(first));
            assertFalse(ft.get(1).frozen().test(first));
            assertEquals(1.0, ft.get(1).lrScale().applyAsDouble(head), 1e-12);
            assertEquals(0.01, ft.get(1).lrScale().applyAsDouble(first), 1e-12, "lowest group: 1/lr_mult");
            assertEquals(0.005, ((dev.tuneup.train.Schedule.OneCycle) ft.get(1).schedule()).max(), 1e-12,
                    "the unfrozen phase peaks at lr/2");

            Recipe.Phase llrd = Recipe.plan(settings("llrd"), layers).get(0);
            assertEquals(1.0, llrd.lrScale().applyAsDouble(head), 1e-12);
            assertEquals(Math.pow(0.5, layers.keys().size() - 1), llrd.lrScale().applyAsDouble(first), 1e-12);

            List<Recipe.Phase> gradual = Recipe.plan(settings("gradual"), layers);
            assertEquals(3, gradual.size(), "two unfreezing steps of one epoch, then the rest");
            assertTrue(gradual.get(0).frozen().test(first) && !gradual.get(0).frozen().test(head));
            assertTrue(gradual.get(1).frozen().test(first));
            assertFalse(gradual.get(2).frozen().test(first));
            assertEquals(4, gradual.get(2).epochs());
        }
    }
}
