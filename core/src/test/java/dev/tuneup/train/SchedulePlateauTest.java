package dev.tuneup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.train.Schedules.PlateauSchedule;
import org.junit.jupiter.api.Test;

/** Reduce-on-plateau by hand, and its exact resume from an exported state. */
class SchedulePlateauTest {
    private static double[] observeAll(PlateauSchedule p, double... metrics) {
        double[] lrs = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            p.observe(metrics[i]);
            lrs[i] = p.lr();
        }
        return lrs;
    }

    @Test
    void reducesAfterMoreThanPatienceBadEpochsThenCoolsDown() {
        PlateauSchedule p = Schedules.parsePlateau("plateau(lr=0.1,factor=0.5,patience=2,cooldown=2)");
        assertEquals(0.1, p.lr());
        double[] lrs = observeAll(p, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        // best at epoch 1; epochs 2-4 bad, the third over patience; then 2 cooldown epochs count nothing.
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025}, lrs);
        PlateauSchedule.State s = p.state();
        assertEquals(10, s.epochs());
        assertEquals(1.0, s.best());
    }

    private static void assertArrayEquals(double[] want, double[] got) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, got, 1e-15);
    }

    @Test
    void improvementMustBeatTheRelativeThreshold() {
        PlateauSchedule min = Schedules.parsePlateau("plateau(lr=1,patience=0,threshold=0.1)");
        min.observe(10);
        min.observe(9.5);
        assertEquals(0.1, min.lr(), 1e-15, "9.5 is not below 10 * 0.9");
        PlateauSchedule max = Schedules.parsePlateau("plateau(lr=1,patience=0,threshold=0.1,mode=max)");
        max.observe(10);
        max.observe(11.5);
        assertEquals(1, max.lr(), "11.5 beats 10 * 1.1");
        max.observe(Double.NaN);
        assertEquals(0.1, max.lr(), 1e-15, "NaN never improves");
    }

    @Test
    void stopsAtMinAndSkipsTinyReductions() {
        PlateauSchedule p = Schedules.parsePlateau("plateau(lr=0.1,factor=0.5,patience=0,min=0.03)");
        assertArrayEquals(new double[] {0.1, 0.05, 0.03, 0.03}, observeAll(p, 1, 1, 1, 1));
        PlateauSchedule tiny = Schedules.parsePlateau("plateau(lr=0.00000001,factor=0.5,patience=0)");
        observeAll(tiny, 1, 1, 1);
        assertEquals(1e-8, tiny.lr(), "a reduction under 1e-8 is skipped, as in torch");
    }

    @Test
    void exportedStateResumesExactly() throws Exception {
        String spec = "plateau(lr=0.1,factor=0.3,patience=2,mode=min,threshold=0.01,cooldown=1,min=0.001)";
        double[] metrics = new double[40];
        for (int i = 0; i < metrics.length; i++) {
            metrics[i] = i < 8 ? 1.0 / (1 + i) : 0.11 + 0.01 * Math.sin(i);
        }
        PlateauSchedule straight = Schedules.parsePlateau(spec);
        double[] want = observeAll(straight, metrics);
        ObjectMapper json = new ObjectMapper();
        for (int cut : new int[] {0, 9, 17, 30}) {
            PlateauSchedule first = Schedules.parsePlateau(spec);
            for (int i = 0; i < cut; i++) {
                first.observe(metrics[i]);
            }
            String saved = json.writeValueAsString(first.state());
            PlateauSchedule.State state = json.readValue(saved, PlateauSchedule.State.class);
            assertEquals(first.state(), state, "JSON round trip of " + saved);
            PlateauSchedule resumed = Schedules.parsePlateau(spec);
            resumed.restore(state);
            for (int i = cut; i < metrics.length; i++) {
                resumed.observe(metrics[i]);
                assertEquals(want[i], resumed.lr(), "epoch " + i + " after resuming at " + cut);
            }
            assertEquals(straight.state(), resumed.state());
        }
        assertTrue(want[want.length - 1] < 0.1, "the sequence did reduce the LR");
    }

    @Test
    void badStatesAreRefused() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> new PlateauSchedule.State(0.1, Double.NaN, 0, 0, 0)).getMessage();
        assertEquals("plateau state: best=NaN must be a number or +/-Infinity", message);
        assertThrows(IllegalArgumentException.class, () -> new PlateauSchedule.State(0, 1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PlateauSchedule.State(0.1, 1, -1, 0, 0));
    }
}
