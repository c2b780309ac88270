package dev.tuneup.tune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Each value drawn independently and uniformly (in log space for log scales), as DJL's and every tuner's baseline. */
public record RandomSampler(long seed) implements Sampler {
    @Override
    public Map<String, Object> sample(SearchSpace space, List<Trial> history, int number) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < space.params().size(); i++) {
            SearchSpace.Param p = space.params().get(i);
            if (p.active(out)) {
                out.put(p.key(), p.distribution().sample(Sampler.rng(seed, number, i)));
            }
        }
        return out;
    }
}
