package dev.tuneup.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic subsets for transfer and repair experiments. Every method takes a seed and gives the
 * same result for the same input and seed on any machine (a {@link SplittableRandom} drives it).
 */
public final class Subsets {
    private Subsets() {
    }

    /** A train part and a validation part of one set. */
    public record Split(ImageSet train, ImageSet val) {
    }

    /**
     * Stratified split: from each class, {@code round(valFraction * count)} images (at least one
     * when the class has two or more) go to validation, chosen at random; both parts keep the
     * original order.
     */
    public static Split stratified(ImageSet set, double valFraction, long seed) {
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + valFraction);
        }
        boolean[] toVal = new boolean[set.size()];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int[] members : byClass(set)) {
            shuffle(members, rng);
            int k = (int) Math.round(valFraction * members.length);
            if (k == 0 && members.length >= 2) {
                k = 1;
            }
            for (int i = 0; i < k; i++) {
                toVal[members[i]] = true;
            }
        }
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            (toVal[i] ? va : tr).add(i);
        }
        return new Split(set.subset(toArray(tr)), set.subset(toArray(va)));
    }

    /**
     * Keeps only the images of {@code keep} (class ids) and relabels them {@code 0..k-1} in the
     * order given, with those classes' names: e.g. classes 0-4 for a source task, 5-9 for a target.
     */
    public static ImageSet classes(ImageSet set, int[] keep) {
        int[] map = new int[set.numClasses()];
        Arrays.fill(map, -1);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < keep.length; k++) {
            if (keep[k] < 0 || keep[k] >= set.numClasses() || map[keep[k]] >= 0) {
                throw new IllegalArgumentException("class id " + keep[k] + " is outside 0.."
                        + (set.numClasses() - 1) + " or given twice");
            }
            map[keep[k]] = k;
            names.add(set.classes().get(keep[k]));
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            if (map[set.label(i)] >= 0) {
                idx.add(i);
            }
        }
        ImageSet sub = set.subset(toArray(idx));
        int[] labels = new int[sub.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = map[sub.label(i)];
        }
        return sub.withLabels(labels, names);
    }

    /** At most {@code k} images per class, drawn at random; the result keeps the original order. */
    public static ImageSet perClass(ImageSet set, int k, long seed) {
        if (k <= 0) {
            throw new IllegalArgumentException("images per class must be positive, got " + k);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        boolean[] take = new boolean[set.size()];
        for (int[] members : byClass(set)) {
            shuffle(members, rng);
            for (int i = 0; i < Math.min(k, members.length); i++) {
                take[members[i]] = true;
            }
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < take.length; i++) {
            if (take[i]) {
                idx.add(i);
            }
        }
        return set.subset(toArray(idx));
    }

    static int[][] byClass(ImageSet set) {
        int[] counts = set.classCounts();
        int[][] members = new int[counts.length][];
        for (int c = 0; c < counts.length; c++) {
            members[c] = new int[counts[c]];
        }
        int[] fill = new int[counts.length];
        for (int i = 0; i < set.size(); i++) {
            int c = set.label(i);
            members[c][fill[c]++] = i;
        }
        return members;
    }

    /** Fisher-Yates shuffle in place. */
    public static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
