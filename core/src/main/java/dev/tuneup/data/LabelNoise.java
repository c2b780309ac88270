package dev.tuneup.data;

import dev.tuneup.TuneupException;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Injects label noise for label-error experiments and records the true labels, so a method that
 * finds mislabeled images can be scored. Deterministic per seed.
 */
public final class LabelNoise {
    private LabelNoise() {
    }

    /** The noisy set, the labels it had before, and which images were flipped. */
    public record Noisy(ImageSet set, int[] trueLabels) {
        public boolean flipped(int i) {
            return set.label(i) != trueLabels[i];
        }

        public int flippedCount() {
            int n = 0;
            for (int i = 0; i < trueLabels.length; i++) {
                n += flipped(i) ? 1 : 0;
            }
            return n;
        }
    }

    /**
     * Noise from a spec: a rate ({@code 0.2}: {@link #symmetric}) or class pairs
     * ({@code "Shirt>T-shirt/top=0.4, Pullover>Coat=0.35"}: an image of the first class is given the
     * second's label with that probability; classes by name or index), as {@link #fromMatrix}.
     */
    public static Noisy inject(ImageSet set, String spec, long seed) {
        String s = spec.trim();
        double rate;
        try {
            rate = Double.parseDouble(s);
        } catch (NumberFormatException notARate) {
            return fromMatrix(set, pairs(s, set.classes()), seed);
        }
        if (!(rate >= 0 && rate < 1)) {
            throw new TuneupException("label noise rate " + s + " is outside [0, 1)", "give a fraction such as 0.2");
        }
        return symmetric(set, rate, seed);
    }

    /** The noise matrix of a pairs spec (see {@link #inject}); rows are true classes. */
    public static double[][] pairs(String spec, List<String> classes) {
        int k = classes.size();
        double[][] t = new double[k][k];
        for (String part : spec.split(",")) {
            String[] kv = part.split("=");
            String[] ft = kv[0].split(">");
            if (kv.length != 2 || ft.length != 2) {
                throw new TuneupException("label noise '" + part.trim() + "' is not FROM>TO=P", "write pairs like"
                        + " 'Shirt>T-shirt/top=0.4, Coat>Pullover=0.3', or a single rate such as 0.2");
            }
            int from = classIndex(ft[0].trim(), classes);
            int to = classIndex(ft[1].trim(), classes);
            double p = parseProbability(kv[1].trim(), part);
            if (from == to) {
                throw new TuneupException("label noise '" + part.trim() + "' maps a class to itself", "name two classes");
            }
            t[from][to] += p;
        }
        for (int i = 0; i < k; i++) {
            double off = 0;
            for (int j = 0; j < k; j++) {
                off += j == i ? 0 : t[i][j];
            }
            if (off > 1 + 1e-12) {
                throw new TuneupException(String.format(Locale.ROOT, "label noise moves %.3f of class '%s' elsewhere",
                        off, classes.get(i)), "keep each class's probabilities at most 1 in total");
            }
            t[i][i] = Math.max(0, 1 - off);
        }
        return t;
    }

    private static int classIndex(String name, List<String> classes) {
        int i = classes.indexOf(name);
        if (i >= 0) {
            return i;
        }
        try {
            int n = Integer.parseInt(name);
            if (n >= 0 && n < classes.size()) {
                return n;
            }
        } catch (NumberFormatException notAnIndex) {
            // reported below
        }
        throw new TuneupException("label noise names class '" + name + "', which the data does not have",
                "use one of " + classes + " or an index below " + classes.size());
    }

    private static double parseProbability(String text, String part) {
        try {
            double p = Double.parseDouble(text);
            if (p >= 0 && p <= 1) {
                return p;
            }
        } catch (NumberFormatException bad) {
            // reported below
        }
        throw new TuneupException("label noise '" + part.trim() + "' has probability '" + text + "'",
                "give a number in [0, 1]");
    }

    /** Each label is, with probability {@code rate}, replaced by a different class chosen uniformly. */
    public static Noisy symmetric(ImageSet set, double rate, long seed) {
        int k = set.numClasses();
        if (rate < 0 || rate > 1 || k < 2) {
            throw new IllegalArgumentException("noise rate must be in [0, 1] with at least 2 classes");
        }
        double[][] t = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                t[i][j] = i == j ? 1 - rate : rate / (k - 1);
            }
        }
        return fromMatrix(set, t, seed);
    }

    /**
     * Class-conditional noise: an image of true class {@code i} gets label {@code j} with
     * probability {@code matrix[i][j]}. Each row must be non-negative and sum to 1.
     */
    public static Noisy fromMatrix(ImageSet set, double[][] matrix, long seed) {
        int k = set.numClasses();
        if (matrix.length != k) {
            throw new IllegalArgumentException("noise matrix has " + matrix.length + " rows, the set has " + k + " classes");
        }
        for (int i = 0; i < k; i++) {
            double sum = 0;
            if (matrix[i].length != k) {
                throw new IllegalArgumentException("noise matrix row " + i + " has " + matrix[i].length + " entries, expected " + k);
            }
            for (double p : matrix[i]) {
                if (p < 0) {
                    throw new IllegalArgumentException("noise matrix row " + i + " has a negative entry");
                }
                sum += p;
            }
            if (Math.abs(sum - 1) > 1e-9) {
                throw new IllegalArgumentException("noise matrix row " + i + " sums to " + sum + ", not 1");
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] truth = set.labels();
        int[] noisy = new int[truth.length];
        for (int n = 0; n < truth.length; n++) {
            double u = rng.nextDouble();
            double[] row = matrix[truth[n]];
            int j = 0;
            double acc = row[0];
            while (u >= acc && j < k - 1) {
                acc += row[++j];
            }
            noisy[n] = j;
        }
        return new Noisy(set.withLabels(noisy, set.classes()), truth);
    }
}
