package dev.tuneup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Purity and the behaviour at the edges that the torch oracle does not cover. */
class ScheduleTest {
    private static double[] forward(Schedule s, int total) {
        double[] out = new double[total + 20];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.at(i, total);
        }
        return out;
    }

    @Test
    void atIsAPureFunctionOfStepAndTotal() {
        for (String spec : ScheduleSpecTest.CANONICAL) {
            Schedule s = Schedules.parse(spec);
            assertTrue(s.getClass().isRecord(), spec + " is an immutable record");
            int total = 9000;
            double[] inOrder = forward(s, total);
            List<Integer> steps = new ArrayList<>();
            for (int i = 0; i < inOrder.length; i++) {
                steps.add(i);
            }
            Collections.shuffle(steps, new Random(7));
            double[] shuffled = new double[inOrder.length];
            for (int i : steps) {
                shuffled[i] = s.at(i, total);
                s.at(i / 2, 1000 + i);
            }
            assertArrayEquals(inOrder, shuffled, spec);
            assertArrayEquals(inOrder, forward(Schedules.parse(spec), total), spec + ": a fresh copy agrees");
            for (double lr : inOrder) {
                assertTrue(Double.isFinite(lr) && lr >= 0, spec + " gave " + lr);
            }
        }
    }

    @Test
    void stepAndTotalAreChecked() {
        Schedule s = Schedule.constant(0.1);
        assertThrows(IllegalArgumentException.class, () -> s.at(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> s.at(0, 0));
        String message = assertThrows(IllegalArgumentException.class,
                () -> Schedules.parse("cosine(lr=0.1,warmup=100)").at(0, 100)).getMessage();
        assertEquals("cosine: warmup=100 is not shorter than the run (100 steps); shorten the warmup", message);
    }

    @Test
    void cosineEndsAtMinAndStaysThere() {
        Schedule s = Schedule.cosine(0.1, 0.001);
        assertEquals(0.1, s.at(0, 50));
        assertEquals(0.001, s.at(50, 50), 1e-18);
        assertEquals(0.001, s.at(80, 50), 1e-18);
        assertEquals(0.0505, s.at(25, 50), 1e-15);
        for (int i = 1; i <= 50; i++) {
            assertTrue(s.at(i, 50) < s.at(i - 1, 50));
        }
    }

    @Test
    void restartCyclesFillTheRunEvenWhenFractional() {
        Schedule s = Schedule.cosine(1, 0, 2, 2);
        int restarts = 0;
        for (int i = 1; i < 100; i++) {
            restarts += s.at(i, 100) > s.at(i - 1, 100) ? 1 : 0;
        }
        assertEquals(2, restarts);
        assertEquals(0, s.at(100, 100), 1e-15);
        assertEquals(0, s.at(120, 100), 1e-15, "the last cycle does not restart after the run");
        // 6 cycles of 10/6 steps over 10: a restart falls exactly on step 5.
        Schedule six = Schedule.cosine(1, 0, 5, 1);
        assertEquals(1.0, six.at(5, 10));
        assertEquals(six.at(1, 10), six.at(6, 10), 1e-15);
    }

    @Test
    void polyDecaysToMin() {
        Schedule s = Schedules.parse("poly(lr=0.1,power=2,min=0.01)");
        assertEquals(0.1, s.at(0, 100));
        assertEquals(0.01 + 0.09 * 0.25, s.at(50, 100), 1e-15);
        assertEquals(0.01, s.at(100, 100));
        assertEquals(0.01, s.at(200, 100));
    }

    @Test
    void oneCycleRisesToMaxThenFallsToItsFloor() {
        Schedule s = Schedules.parse("onecycle(max=0.1,pct=0.3,div=25,final=10000)");
        assertEquals(0.004, s.at(0, 100), 1e-15);
        assertEquals(0.1, s.at(29, 100), 1e-15);
        assertEquals(0.004 / 10000, s.at(99, 100), 1e-15);
        assertEquals(s.at(99, 100), s.at(150, 100), "held at the floor after the run");
        for (int total = 1; total <= 5; total++) {
            for (int i = 0; i < total + 2; i++) {
                double lr = s.at(i, total);
                assertTrue(Double.isFinite(lr) && lr > 0, "tiny run of " + total + " steps gave " + lr + " at " + i);
            }
        }
    }

    @Test
    void warmupRampsLinearlyIntoTheInnerScheduleWhichRunsOverTheRest() {
        Schedule inner = Schedule.cosine(0.1, 0);
        Schedule s = inner.withWarmup(10, 0);
        assertEquals(0.0, s.at(0, 110));
        assertEquals(0.05, s.at(5, 110), 1e-15);
        assertEquals(0.1, s.at(10, 110));
        for (int i = 10; i <= 110; i++) {
            assertEquals(inner.at(i - 10, 100), s.at(i, 110));
        }
        Schedule cyc = Schedules.parse("cyclic(base=0.01,max=0.1,half=5,warmup=4,warmup_start=0.5)");
        assertEquals(0.005, cyc.at(0, 100), 1e-15, "the ramp starts at start * the inner's first LR");
        assertEquals(0.01, cyc.at(4, 100), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> s.withWarmup(5, 0));
    }

    @Test
    void cyclicIgnoresTheTotal() {
        Schedule s = Schedules.parse("cyclic(base=0.001,max=0.1,half=4,mode=triangular2)");
        for (int i = 0; i < 40; i++) {
            assertEquals(s.at(i, 10), s.at(i, 100000));
        }
        assertEquals(0.1, s.at(4, 10), 1e-15);
        assertEquals(0.001 + 0.099 / 2, s.at(12, 10), 1e-15);
    }

    @Test
    void stepKindsByHand() {
        assertEquals(0.001, Schedule.step(0.1, 10, 0.1).at(25, 100), 1e-15);
        assertEquals(0.1, Schedule.step(0.1, 10, 0.1).at(9, 100));
        Schedule multi = Schedule.multistep(0.1, List.of(10L, 20L), 0.5);
        assertEquals(0.1, multi.at(9, 100));
        assertEquals(0.05, multi.at(10, 100));
        assertEquals(0.025, multi.at(99, 100));
        assertEquals(0.1 * Math.pow(0.99, 7), Schedule.exponential(0.1, 0.99).at(7, 10));
    }
}
