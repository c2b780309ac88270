package dev.tuneup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path p = dir.resolve("run.yaml");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void defaultsThenYamlThenOverrides() throws IOException {
        RunConfig c = ConfigLoader.load(yaml("training:\n  epochs: 3\nmodel:\n  arch: resnet\n  depth: 8\n"),
                List.of("training.epochs=5", "model.conv_widths=[8, 16]", "schedule=onecycle(max=0.1)"));
        assertEquals(5, c.training().epochs(), "--set wins over the YAML");
        assertEquals("resnet", c.model().arch());
        assertEquals(List.of(8, 16), c.model().convWidths());
        assertEquals("onecycle(max=0.1)", c.schedule());
        assertEquals(128, c.training().batchSize(), "untouched keys keep their defaults");
    }

    @Test
    void theResolvedConfigRoundTrips() throws IOException {
        RunConfig c = ConfigLoader.load(null, List.of("optimizer.name=adamw", "data.per_class=50"));
        Path saved = yaml(ConfigLoader.toYaml(c));
        assertEquals(c, ConfigLoader.load(saved, List.of()));
    }

    private static String error(ThrowingLoad load) {
        TuneupException e = assertThrows(TuneupException.class, load::run);
        return e.getMessage() + " | " + e.fix();
    }

    interface ThrowingLoad {
        void run() throws Exception;
    }

    @Test
    void unknownKeysAreNamedWithADidYouMean() throws IOException {
        Path p = yaml("training:\n  epocs: 3\n");
        String m = error(() -> ConfigLoader.load(p, List.of()));
        assertTrue(m.contains("config key training.epocs is unknown; did you mean training.epochs?"), m);
        assertTrue(m.contains("known here: training.epochs"), m);
        String section = error(() -> ConfigLoader.load(null, List.of("trianing.epochs=3")));
        assertTrue(section.contains("trianing is unknown; did you mean training?"), section);
    }

    @Test
    void wrongTypesNameTheKey() throws IOException {
        Path p = yaml("training:\n  epochs: many\n");
        String m = error(() -> ConfigLoader.load(p, List.of()));
        assertTrue(m.contains("config training.epochs has the wrong type"), m);
        String list = error(() -> ConfigLoader.load(null, List.of("model.conv_widths=wide")));
        assertTrue(list.contains("model.conv_widths"), list);
        String notSection = error(() -> ConfigLoader.load(yaml("training: 3\n"), List.of()));
        assertTrue(notSection.contains("config training must be a section"), notSection);
    }

    @Test
    void crossFieldChecksSayHowToFix() {
        String m = error(() -> ConfigLoader.load(null, List.of("optimizer.name=adam", "optimizer.nesterov=true")));
        assertTrue(m.contains("optimizer.nesterov needs optimizer.name: sgd"), m);
        assertTrue(m.contains("--set optimizer.nesterov="), m);
        String n = error(() -> ConfigLoader.load(null, List.of("optimizer.name=adagrad")));
        assertTrue(n.contains("'adagrad' is not one of sgd, adam, adamw, rmsprop, lion"), n);
        String o = error(() -> ConfigLoader.load(null, List.of("epochs")));
        assertTrue(o.contains("is not key=value"), o);
    }

    @Test
    void didYouMeanUsesEditDistance() {
        assertEquals(1, dev.tuneup.spec.Spelling.distance("epocs", "epochs"));
        assertEquals(0, dev.tuneup.spec.Spelling.distance("a", "a"));
    }
}
