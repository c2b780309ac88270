package dev.tuneup.tune;

import java.util.List;

/**
 * Decides after each epoch whether a running trial should stop. It sees the trial (with its values
 * so far, the newest last) and all the study's trials, and is a pure function of them.
 */
public interface Pruner {
    /** Never prunes: every trial runs its full epochs. */
    Pruner NONE = (trial, all) -> false;

    /** Whether {@code trial} should stop after its {@code trial.epochs()}-th epoch. */
    boolean prune(Trial trial, List<Trial> all);
}
