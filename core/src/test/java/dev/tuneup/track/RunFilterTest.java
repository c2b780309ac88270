package dev.tuneup.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --filter forms on records, and the comparison's differing config keys. */
class RunFilterTest {
    private static RunRecord run(String id, RunKind kind, Map<String, String> config, Map<String, Double> metrics,
                                 String parent) {
        List<Lineage> lineage = parent == null ? List.of() : List.of(new Lineage(Lineage.BASE, "/x", parent));
        return new RunRecord(id, Path.of("/runs", id), kind, RunStatus.FINISHED, Instant.EPOCH, null, "", config,
                metrics, List.of(), lineage);
    }

    private final RunRecord a = run("20261203-0900-base", RunKind.TRAIN, Map.of("training.lr", "0.1"),
            Map.of("val_acc", 0.9, "epochs", 3.0), null);
    private final RunRecord b = run("20261203-0901-ft", RunKind.FINETUNE, Map.of("training.lr", "0.10"),
            Map.of("val_acc", 0.95), "20261203-0900-base");

    @Test
    void eachFormMatchesWhatItSays() {
        assertTrue(RunFilter.parse("kind=train").test(a));
        assertFalse(RunFilter.parse("kind=train").test(b));
        assertTrue(RunFilter.parse("kind!=train").test(b));
        assertTrue(RunFilter.parse("val_acc>0.92").test(b));
        assertFalse(RunFilter.parse("val_acc>0.92").test(a));
        assertTrue(RunFilter.parse("val_acc < 0.92").test(a));
        assertTrue(RunFilter.parse("training.lr=0.1").test(b), "numbers compare as numbers");
        assertTrue(RunFilter.parse("epochs=3").test(a));
        assertTrue(RunFilter.parse("parent=base").test(b), "a part of the parent's id");
        assertFalse(RunFilter.parse("parent=base").test(a));
        assertTrue(RunFilter.parse("id=0901").test(b));
        assertFalse(RunFilter.parse("epochs=3").test(b), "a run without the key does not match =");
        assertTrue(RunFilter.parse("epochs!=3").test(b));
    }

    @Test
    void malformedFiltersAndUnknownKeysSayHowToWriteThem() {
        assertThrows(TuneupException.class, () -> RunFilter.parse("kind"));
        TuneupException e = assertThrows(TuneupException.class, () -> RunFilter.parse("val_acc>high"));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        TuneupException k = assertThrows(TuneupException.class, () -> RunFilter.parse("trainig.lr=1").check(List.of(a, b)));
        assertTrue(k.fix().contains("did you mean training.lr?"), k.fix());
        RunFilter.parse("kind=eval").check(List.of(a, b)); // a field every run has
    }

    @Test
    void theComparisonNamesTheKeysThatDiffer() {
        RunRecord c = run("c", RunKind.TRAIN, Map.of("training.lr", "0.1", "model.arch", "cnn"), Map.of(), null);
        assertEquals(Map.of("training.lr", List.of("0.1", "0.10", "0.1"), "model.arch", List.of("-", "-", "cnn")),
                RunText.differing(List.of(a, b, c)));
        String text = RunText.compare(List.of(a, b));
        assertTrue(text.contains("val_acc  0.9000              0.9500\n") && text.contains("epochs   3                   -\n"), text);
    }
}
