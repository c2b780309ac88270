package dev.tuneup.repair;

import dev.tuneup.data.ImageSet;
import dev.tuneup.internal.Indices;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of a label repair: detection quality against known labels, and the fix itself (drop or
 * relabel the suspects through the labels only; files never move). The end-to-end run is
 * {@code dev.tuneup.workflow.LabelIssuesWorkflow}.
 */
public final class LabelRepair {
    /**
     * What to do with the suspects: nothing, drop them, give them the suggested class, or give it only
     * where the out-of-sample probability of the suggested class reaches a confidence and drop the
     * rest (the suspects the cross-fitted models are unsure of are often hard but correctly labelled
     * images, which relabelling would put into a wrong class), or keep every image and label and correct
     * the loss by the estimated noise matrix ({@link #forwardMatrix}, forward correction, Patrini et al. 2017),
     * or keep every image and train each suspect on its out-of-sample probabilities instead of its label
     * ({@link #soften}: soft relabelling, nothing dropped).
     */
    public enum Fix {
        NONE, DROP, RELABEL, RELABEL_CONFIDENT, FORWARD, SOFT;

        /** The name used on the command line and in reports. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The out-of-sample probability from which {@link Fix#RELABEL_CONFIDENT} relabels rather than drops. */
    public static final double DEFAULT_CONFIDENCE = 0.8;

    /** Detection quality against known true labels (when noise was injected). */
    public record Detection(int flagged, int trulyWrong, int caught, double precision, double recall, double f1) {
    }

    private LabelRepair() {
    }

    /** Precision, recall and F1 of {@code flagged} indices against the indices whose label is wrong. */
    public static Detection detection(int[] flagged, int[] given, int[] truth) {
        Set<Integer> wrong = new HashSet<>();
        for (int i = 0; i < given.length; i++) {
            if (given[i] != truth[i]) {
                wrong.add(i);
            }
        }
        int caught = 0;
        for (int i : flagged) {
            caught += wrong.contains(i) ? 1 : 0;
        }
        double p = flagged.length == 0 ? 0 : (double) caught / flagged.length;
        double r = wrong.isEmpty() ? 0 : (double) caught / wrong.size();
        return new Detection(flagged.length, wrong.size(), caught, p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
    }

    /** {@link #apply(ImageSet, LabelIssues, Fix, double)} at {@link #DEFAULT_CONFIDENCE}. */
    public static ImageSet apply(ImageSet train, LabelIssues li, Fix fix) {
        return apply(train, li, fix, DEFAULT_CONFIDENCE);
    }

    /**
     * The training set after the fix: drop removes the suspects, relabel gives them the suggested class,
     * relabel_confident relabels those whose suggested class has out-of-sample probability of at least
     * {@code confidence} and drops the others; forward and soft keep the set as it is (they change the
     * loss or the targets: {@link #forwardMatrix}, {@link #soften}). Order of the kept images is unchanged.
     */
    public static ImageSet apply(ImageSet train, LabelIssues li, Fix fix, double confidence) {
        if (fix == Fix.NONE || fix == Fix.FORWARD || fix == Fix.SOFT || li.issues().isEmpty()) {
            return train;
        }
        int[] labels = train.labels().clone();
        Set<Integer> drop = new HashSet<>();
        for (Issue i : li.issues()) {
            if (fix == Fix.RELABEL || fix == Fix.RELABEL_CONFIDENT && i.suggestedProbability() >= confidence) {
                labels[i.index()] = i.suggestedLabel();
            } else {
                drop.add(i.index());
            }
        }
        ImageSet relabelled = train.withLabels(labels, train.classes());
        return drop.isEmpty() ? relabelled : relabelled.subset(java.util.stream.IntStream.range(0, train.size())
                .filter(i -> !drop.contains(i)).toArray());
    }

    /**
     * {@link Fix#SOFT}: every image stays; each suspect trains on its out-of-sample probabilities
     * ({@code probs[i]}, from the cross-fitted models that did not see it) instead of its label, and its
     * label becomes the most probable class (for counts and training accuracy). A correct label that was
     * flagged keeps the weight the evidence gives it, where dropping would lose the image and relabelling
     * would move it wholly into a look-alike class. The other images train on {@code givenWeight} times
     * their label plus {@code 1 - givenWeight} times their out-of-sample probabilities (1: their label
     * alone; below 1, distillation from the cross-fitted models, which also softens the noise that
     * detection missed).
     */
    public static ImageSet soften(ImageSet train, LabelIssues li, float[][] probs, double givenWeight) {
        if (probs.length != train.size()) {
            throw new IllegalArgumentException(probs.length + " rows of probabilities for " + train.size() + " images");
        }
        if (!(givenWeight >= 0 && givenWeight <= 1)) {
            throw new IllegalArgumentException("the given label's weight must be in [0, 1], not " + givenWeight);
        }
        int[] labels = train.labels();
        float[][] targets = new float[train.size()][];
        boolean[] suspect = new boolean[train.size()];
        for (Issue i : li.issues()) {
            suspect[i.index()] = true;
        }
        for (int x = 0; x < train.size(); x++) {
            if (!suspect[x] && givenWeight == 1) {
                continue;
            }
            float[] p = probs[x].clone();
            double sum = 0;
            for (float v : p) {
                sum += v;
            }
            float w = suspect[x] ? 0f : (float) givenWeight;
            for (int j = 0; j < p.length; j++) { // renormalised: float rows need not sum to 1 exactly
                p[j] = (1 - w) * (float) (p[j] / sum) + (j == labels[x] ? w : 0f);
            }
            targets[x] = p;
            if (suspect[x]) {
                labels[x] = Indices.argmax(p);
            }
        }
        return train.withLabels(labels, train.classes()).withTargets(targets);
    }

    /**
     * The noise matrix {@link Fix#FORWARD} trains with: the estimate {@code P(given = i | true = j)} from the
     * calibrated confident joint ([given][true]); a class no image is confidently in (an empty column) is
     * taken as noise-free.
     */
    public static double[][] forwardMatrix(LabelIssues li) {
        double[][] m = li.noiseMatrix();
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        for (int j = 0; j < m.length; j++) {
            double col = 0;
            for (double[] row : m) {
                col += row[j];
            }
            if (col == 0) {
                out[j][j] = 1;
            }
        }
        return out;
    }

    /**
     * The repaired set brought back to {@code size} images, each class to its estimated true share
     * (the confident joint's column sums, as cleanlab's noise-matrix reweighting restores each class's
     * weight after pruning): a class's kept images are repeated in a seeded order until it has its
     * share, so the repaired model gets as many optimizer steps per epoch as the one it replaces and no
     * class loses weight because its suspects were dropped. Classes keep at least their kept images.
     */
    public static ImageSet rebalance(ImageSet fixed, LabelIssues li, int size, long seed) {
        int k = fixed.numClasses();
        double[] truth = new double[k]; // P(true = j): the columns of the estimated joint
        for (double[] row : li.joint()) {
            for (int j = 0; j < k; j++) {
                truth[j] += row[j];
            }
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < fixed.size(); i++) {
            byClass.get(fixed.label(i)).add(i);
        }
        List<Integer> out = new ArrayList<>();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int c = 0; c < k; c++) {
            List<Integer> kept = byClass.get(c);
            out.addAll(kept);
            int want = (int) Math.round(size * truth[c]);
            int[] order = kept.stream().mapToInt(Integer::intValue).toArray();
            dev.tuneup.data.Subsets.shuffle(order, rng);
            for (int n = kept.size(), r = 0; n < want && order.length > 0; n++, r++) {
                out.add(order[r % order.length]);
            }
        }
        return fixed.subset(out.stream().sorted().mapToInt(Integer::intValue).toArray());
    }

    /** The most probable class of each row. */
    public static int[] argmax(float[][] p) {
        return Indices.argmax(p);
    }

    /** The fraction of {@code predicted} equal to {@code labels}. */
    public static double accuracy(int[] predicted, int[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }
}
