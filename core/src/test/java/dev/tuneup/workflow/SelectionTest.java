package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tuneup.repair.Decision;
import dev.tuneup.repair.RegressionGate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mix chosen: the best targeted metric among those the gate accepts, else the best of all. */
class SelectionTest {
    private static Decision decision(boolean accept) {
        int[] labels = new int[200];
        int[] current = new int[200];
        int[] candidate = new int[200];
        for (int i = 0; i < 200; i++) {
            labels[i] = i % 2;
            current[i] = labels[i];
            candidate[i] = accept || i % 4 != 0 ? labels[i] : 1 - labels[i]; // rejected: 50 new errors
        }
        return RegressionGate.defaults().decide(labels, current, candidate, List.of("a", "b"));
    }

    @Test
    void prefersTheBestAcceptedMixAndTheSmallerWeightOnATie() {
        Selection.Mix a = new Selection.Mix(0.25, 0.9, 0.60, decision(true));
        Selection.Mix b = new Selection.Mix(0.5, 0.9, 0.64, decision(true));
        Selection.Mix c = new Selection.Mix(0.75, 0.9, 0.64, decision(true));
        Selection.Mix d = new Selection.Mix(1.0, 0.7, 0.80, decision(false));
        assertEquals(true, a.decision().accepted());
        assertEquals(false, d.decision().accepted());
        assertEquals(b, Selection.best(List.of(a, b, c, d)), "d goes furthest but the gate refused it");
        Selection.Mix e = new Selection.Mix(0.5, 0.7, 0.70, decision(false));
        assertEquals(d, Selection.best(List.of(e, d)), "none accepted: the one that went furthest is reported");
    }
}
