package dev.tuneup.repair;

import dev.tuneup.data.ImageSet;
import dev.tuneup.data.Subsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The folds of K-fold cross-fitting, what confident learning needs: every image is scored by a
 * model trained on the other folds, one that never saw its (possibly wrong) label. The training
 * itself is {@code dev.tuneup.workflow.CrossFitting}.
 */
public final class CrossFit {
    private CrossFit() {
    }

    /** Fold of each image: per class, a seeded shuffle dealt round-robin, so folds are stratified. */
    public static int[] folds(ImageSet set, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("cross-fitting needs at least 2 folds, got " + k);
        }
        int[] fold = new int[set.size()];
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < set.numClasses(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < set.size(); i++) {
            byClass.get(set.label(i)).add(i);
        }
        int offset = 0;
        for (List<Integer> idx : byClass) {
            int[] a = idx.stream().mapToInt(Integer::intValue).toArray();
            Subsets.shuffle(a, rng);
            for (int j = 0; j < a.length; j++) {
                fold[a[j]] = (j + offset) % k;
            }
            offset += a.length; // continue the deal where the last class stopped, so fold sizes stay even
        }
        return fold;
    }
}
