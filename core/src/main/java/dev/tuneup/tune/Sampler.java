package dev.tuneup.tune;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses a trial's values. A sampler is a pure function of (its seed, the trial number, the trials
 * so far), so a study reopened after a crash samples exactly what it would have.
 */
public interface Sampler {
    /**
     * Values for every active key of {@code space}, in space order, for trial {@code number}.
     *
     * @param history the study's trials so far, any state
     */
    Map<String, Object> sample(SearchSpace space, List<Trial> history, int number);

    /** The generator for one parameter of one trial: independent of how many draws other keys took. */
    static SplittableRandom rng(long seed, int number, int param) {
        long h = new SplittableRandom(seed).nextLong(); // each step a full 64-bit mix, so nearby inputs do not correlate
        h = new SplittableRandom(h ^ number).nextLong();
        h = new SplittableRandom(h ^ param).nextLong();
        return new SplittableRandom(h);
    }
}
