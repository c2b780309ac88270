package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.data.ImageSet;
import dev.tuneup.repair.Decision;
import dev.tuneup.repair.RegressionGate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test split is handed out only for a decision, once, and the reading is reported. */
class HeldOutTest {
    private static ImageSet set(int n) {
        byte[][] px = new byte[n][1];
        int[] labels = new int[n];
        String[] src = new String[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            src[i] = "t" + i;
        }
        return new ImageSet(1, 1, 1, List.of("a", "b"), px, labels, src);
    }

    @Test
    void readOnlyWithADecisionAndOnlyOnce() {
        ImageSet test = set(6);
        List<String> lines = new ArrayList<>();
        HeldOut held = new HeldOut(test, Reporter.lines(lines::add));
        assertEquals(6, held.size());
        assertFalse(held.read());
        assertTrue(lines.isEmpty(), "counting is not reading");
        assertThrows(NullPointerException.class, () -> held.after(null));
        assertFalse(held.read());
        int[] y = test.labels();
        Decision d = RegressionGate.defaults().decide(y, y, y, test.classes());
        assertSame(test, held.after(d));
        assertTrue(held.read());
        assertEquals(List.of("test split: 6 images read once, after the decision (accepted)"), lines);
        assertThrows(IllegalStateException.class, () -> held.after(d));
    }

    @Test
    void stripLeavesEverythingButTheTestSplit() {
        Sessions.Images images = new Sessions.Images("x", set(4), set(2), set(6), null);
        Sessions.Images work = HeldOut.strip(images);
        assertSame(images.train(), work.train());
        assertSame(images.val(), work.val());
        assertNull(work.test());
    }
}
