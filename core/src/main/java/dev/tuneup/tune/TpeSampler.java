package dev.tuneup.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and Kégl, NeurIPS 2011), with Optuna's
 * univariate defaults: the first {@code startup} trials (10) are random; afterwards the finished
 * trials are ranked ({@link Objective#ranked}: complete by value, then pruned, furthest first), the
 * best {@code min(ceil(0.1 n), 25)} form the "good" set and the rest the "bad" set, and each key is
 * chosen independently as the best of {@code candidates} (24) draws from the good density l(x) by
 * l(x)/g(x). Numeric keys use a {@link Parzen} estimator in their internal coordinate (log for log
 * scales); categorical keys use smoothed counts {@code (count + 1/k) / (n + 1)}. A conditional key
 * only learns from the trials in which it was active.
 */
public final class TpeSampler implements Sampler {
    private final long seed;
    private final Objective objective;
    private final int startup;
    private final int candidates;

    public TpeSampler(long seed, Objective objective) {
        this(seed, objective, 10, 24);
    }

    public TpeSampler(long seed, Objective objective, int startup, int candidates) {
        if (startup < 1 || candidates < 1) {
            throw new IllegalArgumentException("startup and candidates must be >= 1, got " + startup + ", " + candidates);
        }
        this.seed = seed;
        this.objective = objective;
        this.startup = startup;
        this.candidates = candidates;
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<Trial> history, int number) {
        List<Trial> ranked = objective.ranked(history);
        if (ranked.size() < startup) {
            return new RandomSampler(seed).sample(space, history, number);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < space.params().size(); i++) {
            SearchSpace.Param p = space.params().get(i);
            if (!p.active(out)) {
                continue;
            }
            List<Object> seen = new ArrayList<>();
            for (Trial t : ranked) {
                if (t.params().containsKey(p.key())) {
                    seen.add(t.params().get(p.key()));
                }
            }
            SplittableRandom rng = Sampler.rng(seed, number, i);
            int good = Math.min((int) Math.ceil(0.1 * seen.size()), 25);
            List<Object> below = seen.subList(0, good);
            List<Object> above = seen.subList(good, seen.size());
            out.put(p.key(), p.distribution() instanceof Distribution.Categorical c ? categorical(c, below, above, rng)
                    : numeric((Distribution.Numeric) p.distribution(), below, above, rng));
        }
        return out;
    }

    private Object numeric(Distribution.Numeric d, List<Object> below, List<Object> above, SplittableRandom rng) {
        Parzen l = new Parzen(below.stream().mapToDouble(d::toInternal).toArray(), d.internalLow(), d.internalHigh());
        Parzen g = new Parzen(above.stream().mapToDouble(d::toInternal).toArray(), d.internalLow(), d.internalHigh());
        double best = Double.NaN;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < candidates; k++) {
            double x = l.sample(rng);
            double ratio = l.logPdf(x) - g.logPdf(x);
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = x;
            }
        }
        return d.fromInternal(best);
    }

    private Object categorical(Distribution.Categorical c, List<Object> below, List<Object> above, SplittableRandom rng) {
        double[] l = smoothed(c, below);
        double[] g = smoothed(c, above);
        int best = 0;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < candidates; k++) {
            double u = rng.nextDouble();
            int x = 0;
            while (x < l.length - 1 && u >= l[x]) {
                u -= l[x];
                x++;
            }
            double ratio = Math.log(l[x]) - Math.log(g[x]);
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = x;
            }
        }
        return c.choices().get(best);
    }

    private static double[] smoothed(Distribution.Categorical c, List<Object> seen) {
        int k = c.choices().size();
        double[] p = new double[k];
        for (int i = 0; i < k; i++) {
            p[i] = 1.0 / k;
        }
        for (Object v : seen) {
            int i = c.indexOf(v);
            if (i >= 0) {
                p[i] += 1;
            }
        }
        for (int i = 0; i < k; i++) {
            p[i] /= seen.size() + 1;
        }
        return p;
    }
}
