package dev.tuneup.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The median rule and ASHA on hand-made per-epoch values with known answers. */
class PrunerTest {
    private static final Objective MAX = new Objective("val_acc", true);
    private static final Objective MIN = new Objective("val_loss", false);

    private static Trial trial(int n, Trial.State s, Double... values) {
        return new Trial(n, s, Map.of(), Double.NaN, List.of(values), 0, "");
    }

    @Test
    void medianComparesTheBestSoFarWithTheMedianOfCompletedTrialsAtThatEpoch() {
        List<Trial> all = new ArrayList<>();
        double[][] done = {{0.5, 0.6, 0.7}, {0.6, 0.7, 0.8}, {0.7, 0.8, 0.9}, {0.4, 0.5, 0.6}, {0.8, 0.85, 0.9}};
        for (int i = 0; i < done.length; i++) {
            all.add(trial(i, Trial.State.COMPLETE, done[i][0], done[i][1], done[i][2]));
        }
        MedianPruner median = new MedianPruner(MAX);
        // epoch 1 values 0.4 0.5 0.6 0.7 0.8: median 0.6
        assertTrue(median.prune(trial(9, Trial.State.RUNNING, 0.55), all));
        assertFalse(median.prune(trial(9, Trial.State.RUNNING, 0.6), all), "equal to the median goes on");
        // epoch 2 median 0.7; best so far counts, not the latest value
        assertFalse(median.prune(trial(9, Trial.State.RUNNING, 0.75, 0.5), all));
        assertTrue(median.prune(trial(9, Trial.State.RUNNING, 0.6, 0.65), all));
        assertTrue(median.prune(trial(9, Trial.State.RUNNING, Double.NaN), all), "NaN is pruned");
        assertFalse(median.prune(trial(9, Trial.State.RUNNING, 0.1), all.subList(0, 4)), "4 completed < 5 startup");
        assertFalse(new MedianPruner(MAX, 5, 1).prune(trial(9, Trial.State.RUNNING, 0.1), all), "warm-up epoch");
        // pruned and running trials are not in the median
        List<Trial> more = new ArrayList<>(all);
        more.add(trial(5, Trial.State.PRUNED, 0.0));
        more.add(trial(6, Trial.State.PRUNED, 0.0));
        assertTrue(median.prune(trial(9, Trial.State.RUNNING, 0.55), more));
        // minimising: the median of 1,2,3,4 is 2.5
        List<Trial> losses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            losses.add(trial(i, Trial.State.COMPLETE, 1.0 + i));
        }
        losses.add(trial(4, Trial.State.COMPLETE, 2.5));
        assertTrue(median.prune(trial(9, Trial.State.RUNNING, 0.1), losses), "0.1 < 2.5 accuracy is bad");
        assertFalse(new MedianPruner(MIN).prune(trial(9, Trial.State.RUNNING, 2.4), losses));
        assertTrue(new MedianPruner(MIN).prune(trial(9, Trial.State.RUNNING, 2.6), losses));
    }

    @Test
    void ashaRungsSitAtMinTimesEtaPowers() {
        AshaPruner asha = new AshaPruner(MAX);
        List<Integer> rungs = new ArrayList<>();
        for (int e = 1; e <= 30; e++) {
            if (asha.isRung(e)) {
                rungs.add(e);
            }
        }
        assertEquals(List.of(1, 3, 9, 27), rungs);
        AshaPruner later = new AshaPruner(MAX, 2, 2, 1);
        assertTrue(later.isRung(4) && later.isRung(8) && !later.isRung(2) && !later.isRung(6));
    }

    @Test
    void ashaPromotesOnlyTheTopThirdOfWhatARungHasSeen() {
        AshaPruner asha = new AshaPruner(MAX);
        List<Trial> all = new ArrayList<>();
        // The first trial at a rung always goes on.
        Trial first = trial(0, Trial.State.RUNNING, 0.5);
        all.add(first);
        assertFalse(asha.prune(first, all));
        // Two at the rung: top max(1, 2/3) = 1 goes on; the worse one is pruned.
        Trial second = trial(1, Trial.State.RUNNING, 0.4);
        all.add(second);
        assertTrue(asha.prune(second, all));
        Trial third = trial(2, Trial.State.RUNNING, 0.6);
        all.add(third);
        assertFalse(asha.prune(third, all), "the best so far goes on");
        // Six values at rung 1 (0.5 0.4 0.6 0.55 0.3 x): top 2 go on.
        all.add(trial(3, Trial.State.COMPLETE, 0.55, 0.6, 0.7));
        all.add(trial(4, Trial.State.PRUNED, 0.3));
        assertFalse(asha.prune(trial(5, Trial.State.RUNNING, 0.58), all), "second best of six");
        assertTrue(asha.prune(trial(5, Trial.State.RUNNING, 0.52), all), "third best of six");
        // Not a rung: nothing happens at epoch 2.
        assertFalse(asha.prune(trial(5, Trial.State.RUNNING, 0.9, 0.0), all));
        // Rung 3 compares only trials that reached epoch 3: trial 3 (0.7) alone, so 0.65 is pruned, 0.75 goes on.
        assertTrue(asha.prune(trial(6, Trial.State.RUNNING, 0.9, 0.9, 0.65), all));
        assertFalse(asha.prune(trial(6, Trial.State.RUNNING, 0.9, 0.9, 0.75), all));
        assertTrue(asha.prune(trial(7, Trial.State.RUNNING, Double.NaN), all), "NaN is pruned");
        // Minimising flips the order.
        assertFalse(new AshaPruner(MIN).prune(trial(5, Trial.State.RUNNING, 0.2), all), "lowest loss goes on");
    }
}
