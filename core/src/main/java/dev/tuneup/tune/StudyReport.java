package dev.tuneup.tune;

import dev.tuneup.report.Charts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code tuneup tune --show} prints and draws: the leaderboard, the compute the pruner saved,
 * each key's importance and two charts, {@code objective.png} (each trial's value by number, pruned
 * and complete apart, with the best so far) and {@code importance.png}.
 */
public final class StudyReport {
    /** Complete trials needed before importance means anything. */
    public static final int MIN_FOR_IMPORTANCE = 5;

    private StudyReport() {
    }

    /** Epochs actually trained against every finished trial running all {@code epochs}. */
    public record Compute(int trained, int full, double seconds) {
        public double saved() {
            return full == 0 ? 0 : 1 - (double) trained / full;
        }
    }

    public static Compute compute(List<Trial> trials, int epochs) {
        List<Trial> done = trials.stream().filter(t -> t.state().finished()).toList();
        return new Compute(done.stream().mapToInt(Trial::epochs).sum(), done.size() * epochs,
                done.stream().mapToDouble(Trial::seconds).sum());
    }

    /** The leaderboard: finished trials ranked as TPE ranks them, failed and running ones last. */
    public static String leaderboard(List<Trial> trials, Objective objective, int epochs) {
        Map<Trial.State, Long> counts = trials.stream().collect(Collectors.groupingBy(Trial::state, Collectors.counting()));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d trials: %d complete, %d pruned, %d failed,"
                        + " %d running or interrupted; objective %s (%s is better)%n", trials.size(),
                counts.getOrDefault(Trial.State.COMPLETE, 0L), counts.getOrDefault(Trial.State.PRUNED, 0L),
                counts.getOrDefault(Trial.State.FAILED, 0L), counts.getOrDefault(Trial.State.RUNNING, 0L),
                objective.metric(), objective.maximize() ? "higher" : "lower"));
        sb.append(String.format(Locale.ROOT, "%4s %5s  %-8s %8s %6s %8s  %s%n", "rank", "trial", "state", objective.metric(),
                "epochs", "seconds", "values"));
        List<Trial> order = new ArrayList<>(objective.ranked(trials));
        trials.stream().filter(t -> !order.contains(t)).forEach(order::add);
        for (int i = 0; i < order.size(); i++) {
            Trial t = order.get(i);
            sb.append(String.format(Locale.ROOT, "%4d %5d  %-8s %8.4f %6d %8.1f  %s%s%n", i + 1, t.number(), t.state(),
                    t.value(), t.epochs(), t.seconds(), values(t.params()), t.note().isEmpty() ? "" : "  (" + t.note() + ")"));
        }
        Compute c = compute(trials, epochs);
        sb.append(String.format(Locale.ROOT, "epochs trained: %d of %d had every finished trial run all %d (%.0f%% saved);"
                + " trial time %.0f s%n", c.trained(), c.full(), epochs, 100 * c.saved(), c.seconds()));
        return sb.toString();
    }

    /** A trial's values as {@code key=value ...}, numbers to 4 significant digits. */
    public static String values(Map<String, Object> params) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + (e.getValue() instanceof Double d
                ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(e.getValue()))).collect(Collectors.joining(" "));
    }

    /**
     * Each key's importance: the share of the complete trials' objective variance that the key's bins
     * explain (each choice of a categorical, four equal-count bins of a numeric key in its internal
     * coordinate), as epsilon squared: eta squared corrected for the number of bins,
     * {@code (SS_between - (k - 1) MS_within) / SS_total}, clipped at 0, so that a few trials spread
     * over as many bins do not look important.
     * A cheap, one-key-at-a-time stand-in for fANOVA; keys in descending order; empty with fewer than
     * {@value #MIN_FOR_IMPORTANCE} complete trials.
     */
    public static Map<String, Double> importance(List<Trial> trials, SearchSpace space) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (trials.stream().filter(t -> t.state() == Trial.State.COMPLETE).count() < MIN_FOR_IMPORTANCE) {
            return out;
        }
        for (SearchSpace.Param p : space.params()) {
            List<Trial> with = trials.stream().filter(t -> t.state() == Trial.State.COMPLETE && !Double.isNaN(t.value())
                    && t.params().containsKey(p.key())).toList();
            out.put(p.key(), etaSquared(with, p));
        }
        return out.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private static double etaSquared(List<Trial> trials, SearchSpace.Param p) {
        int n = trials.size();
        if (n < 2) {
            return 0;
        }
        int[] bin = new int[n];
        if (p.distribution() instanceof Distribution.Categorical c) {
            for (int i = 0; i < n; i++) {
                bin[i] = c.indexOf(trials.get(i).params().get(p.key()));
            }
        } else {
            Distribution.Numeric d = (Distribution.Numeric) p.distribution();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingDouble(i -> d.toInternal(trials.get(i).params().get(p.key()))));
            for (int r = 0; r < n; r++) {
                bin[order.get(r)] = r * 4 / n;
            }
        }
        double mean = trials.stream().mapToDouble(Trial::value).average().orElse(0);
        double total = trials.stream().mapToDouble(t -> (t.value() - mean) * (t.value() - mean)).sum();
        Map<Integer, double[]> sums = new LinkedHashMap<>(); // bin -> {sum, count}
        for (int i = 0; i < n; i++) {
            double[] s = sums.computeIfAbsent(bin[i], k -> new double[2]);
            s[0] += trials.get(i).value();
            s[1]++;
        }
        double between = sums.values().stream().mapToDouble(s -> s[1] * Math.pow(s[0] / s[1] - mean, 2)).sum();
        int k = sums.size();
        if (total == 0 || k < 2 || n <= k) {
            return 0;
        }
        double withinMean = (total - between) / (n - k);
        return Math.max(0, (between - (k - 1) * withinMean) / total);
    }

    /** Writes {@code objective.png} and {@code importance.png} into {@code dir}; returns the files written. */
    public static List<Path> plots(Path dir, List<Trial> trials, SearchSpace space, Objective objective)
            throws IOException {
        List<Path> written = new ArrayList<>();
        Map<String, double[][]> points = new LinkedHashMap<>();
        for (Trial.State s : List.of(Trial.State.COMPLETE, Trial.State.PRUNED)) {
            List<Trial> ts = trials.stream().filter(t -> t.state() == s && !Double.isNaN(t.value())).toList();
            if (!ts.isEmpty()) {
                points.put(s.name().toLowerCase(Locale.ROOT) + (s == Trial.State.PRUNED ? " (best before pruning)" : ""),
                        new double[][] {ts.stream().mapToDouble(Trial::number).toArray(),
                            ts.stream().mapToDouble(Trial::value).toArray()});
            }
        }
        if (points.isEmpty()) {
            return written;
        }
        List<double[]> best = new ArrayList<>();
        double so = Double.NaN;
        for (Trial t : trials) {
            if (t.state() == Trial.State.COMPLETE && !Double.isNaN(t.value()) && (Double.isNaN(so) || objective.better(t.value(), so))) {
                so = t.value();
            }
            if (!Double.isNaN(so)) {
                best.add(new double[] {t.number(), so});
            }
        }
        Map<String, double[][]> lines = new LinkedHashMap<>();
        if (!best.isEmpty()) {
            lines.put("best complete so far", new double[][] {best.stream().mapToDouble(b -> b[0]).toArray(),
                best.stream().mapToDouble(b -> b[1]).toArray()});
        }
        Path objectivePng = dir.resolve("objective.png");
        Charts.scatterChart(objectivePng, "Objective by trial", "trial", objective.metric(), points, lines);
        written.add(objectivePng);
        Map<String, Double> imp = importance(trials, space);
        if (!imp.isEmpty()) {
            Path importancePng = dir.resolve("importance.png");
            // Each bar is one key's marginal effect size, computed alone; keys overlap, so bars need not sum to 1.
            Charts.barChart(importancePng, "Key importance: epsilon squared of " + objective.metric()
                    + " over each key's bins, one key at a time", "epsilon squared (each key alone; bars do not add up)",
                    imp);
            written.add(importancePng);
        }
        return written;
    }
}
