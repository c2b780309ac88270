package dev.tuneup.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The space format, its errors (through the config's own checks) and the overrides it produces. */
class SearchSpaceTest {
    private static SearchSpace parse(String yaml) {
        return SearchSpace.parse(yaml, "test", null, List.of());
    }

    private static String error(String yaml) {
        return assertThrows(TuneupException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void parsesEveryKindWithConditionAndTemplate() {
        SearchSpace s = parse("""
                optimizer.name: {categorical: [sgd, adamw]}
                optimizer.momentum: {uniform: [0.8, 0.99], when: {optimizer.name: sgd}}
                schedule: {log_uniform: [1.0e-3, 0.3], template: "cosine(lr={})"}
                training.batch_size: {int: [16, 256], log: true}
                model.conv_widths: {categorical: [[16, 32], [32, 64]]}
                """);
        assertEquals(5, s.params().size());
        assertEquals(new Distribution.LogUniform(1e-3, 0.3), s.param("schedule").distribution());
        assertEquals(new Distribution.IntRange(16, 256, true), s.param("training.batch_size").distribution());
        SearchSpace.Param momentum = s.param("optimizer.momentum");
        assertTrue(momentum.active(Map.of("optimizer.name", "sgd")));
        assertFalse(momentum.active(Map.of("optimizer.name", "adamw")));

        Map<String, Object> values = new LinkedHashMap<>();
        values.put("optimizer.name", "adamw");
        values.put("schedule", 0.01);
        values.put("training.batch_size", 64);
        values.put("model.conv_widths", List.of(16, 32));
        List<String> sets = s.overrides(values);
        assertEquals(List.of("optimizer.name=\"adamw\"", "schedule=cosine(lr=0.01)", "training.batch_size=64",
                "model.conv_widths=[16,32]"), sets);
        RunConfig c = ConfigLoader.load(null, sets);
        assertEquals("adamw", c.optimizer().name());
        assertEquals("cosine(lr=0.01)", c.schedule());
        assertEquals(List.of(16, 32), c.model().convWidths());
    }

    @Test
    void unknownKeyFailsWithTheConfigsDidYouMean() {
        String m = error("training.batch_sise: {categorical: [32, 64]}");
        assertTrue(m.contains("training.batch_sise") && m.contains("did you mean training.batch_size?"), m);
    }

    @Test
    void wrongTypeFailsNamingKeyAndValue() {
        String m = error("training.batch_size: {categorical: [32, big]}");
        assertTrue(m.contains("training.batch_size") && m.contains("big") && m.contains("wrong type"), m);
        m = error("optimizer.name: {categorical: [sgd, adagrad]}");
        assertTrue(m.contains("adagrad") && m.contains("not one of sgd"), m);
    }

    @Test
    void badBoundsAndShapesAreRefused() {
        assertTrue(error("model.head_dropout: {uniform: [0.5, 0.1]}").contains("low 0.5 >= high 0.1"));
        assertTrue(error("optimizer.weight_decay: {log_uniform: [0, 0.1]}").contains("low > 0"));
        assertTrue(error("training.batch_size: {int: [16.5, 64]}").contains("integer bounds"));
        assertTrue(error("model.head_dropout: {uniform: [0.1]}").contains("two numbers"));
        assertTrue(error("model.head_dropout: {uniform: [0, 0.5], categorical: [0.1]}").contains("exactly one of"));
        assertTrue(error("model.head_dropout: {uniform: [0, 0.5], step: 0.1}").contains("unknown field 'step'"));
        assertTrue(error("schedule: {log_uniform: [0.001, 0.1], template: cosine}").contains("{}"));
        assertTrue(error("training.epochs: {int: [1, 10]}").contains("resource"));
                String m = error("optimizer.momentum: {uniform: [0.5, 1.0]}");
        assertTrue(m.contains("optimizer.momentum") && m.contains("must be in [0, 1)"), "the config's own check: " + m);
    }

    @Test
    void conditionsMustNameAnEarlierCategoricalChoice() {
        assertTrue(error("optimizer.momentum: {uniform: [0.8, 0.99], when: {optimizer.name: sgd}}")
                .contains("not a categorical key listed before it"));
        assertTrue(error("""
                optimizer.name: {categorical: [sgd, adamw]}
                optimizer.momentum: {uniform: [0.8, 0.99], when: {optimizer.name: lion}}
                """).contains("not one of its choices"));
        SearchSpace s = parse("""
                optimizer.name: {categorical: [sgd, adamw, lion]}
                optimizer.beta2: {uniform: [0.9, 0.999], when: {optimizer.name: [adamw, lion]}}
                """);
        assertTrue(s.param("optimizer.beta2").active(Map.of("optimizer.name", "lion")));
    }

    @Test
    void inactiveKeysAreNotSampled() {
        SearchSpace s = parse("""
                optimizer.name: {categorical: [sgd, adamw]}
                optimizer.momentum: {uniform: [0.8, 0.99], when: {optimizer.name: sgd}}
                """);
        for (int n = 0; n < 20; n++) {
            Map<String, Object> v = new RandomSampler(3).sample(s, List.of(), n);
            assertEquals(v.get("optimizer.name").equals("sgd"), v.containsKey("optimizer.momentum"), v.toString());
        }
    }
}
