package dev.tuneup.repair;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.Subsets;
import dev.tuneup.finetune.FineTuner;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.FitListener;
import dev.tuneup.train.FitLoop;
import dev.tuneup.train.Runs;
import dev.tuneup.train.TrainingSession;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Out-of-sample predicted probabilities by K-fold cross-fitting, what confident learning needs:
 * the training images are split into {@code k} stratified folds; for each fold a model is trained
 * on the other folds with the run's config and predicts the held-out fold. Every image is thus
 * scored by a model that never saw its (possibly wrong) label.
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

    /**
     * Trains one model on {@code train} with the run config and returns its probabilities for
     * {@code predictOn}; its bundle is kept in {@code d}. With {@code finetune.base} set, the model
     * is fine-tuned from that base with the config's recipe; otherwise it is trained from scratch.
     */
    public static float[][] trainAndPredict(RunConfig c, Runs.Images images, ImageSet train, ImageSet predictOn, RunDir d,
                                            NDManager manager, Consumer<String> say,
                                            Function<TrainingSession, List<FitListener>> listeners) {
        try (NDManager m = manager.newSubManager()) {
            if (!c.finetune().base().isBlank()) {
                FineTuner.Result r = FineTuner.run(c, d, m, say, listeners, null,
                        new Runs.Images(images.name(), train, images.val(), null, images.augment()));
                return new Predictor(ModelBundle.load(r.bundle(), m), m, 256).probabilities(predictOn);
            }
            Runs.Opened o = Runs.open(c, d, m, new Runs.Images(images.name(), train, images.val(), null,
                    images.augment()), say);
            try (TrainingSession s = o.session()) {
                new FitLoop(s, listeners.apply(s)).run();
                ModelBundle.write(d.path().resolve("bundle"), s.model(), o.bundleInfo());
                return new Predictor(new ModelBundle.Loaded(null, s.model(), o.bundleInfo()), m, 256)
                        .probabilities(predictOn);
            }
        }
    }

    /**
     * Probabilities ({@code [n][classes]}) for every image of {@code images.train()}, each from the
     * model that did not train on it.
     */
    public static float[][] outOfSample(RunConfig c, Runs.Images images, int k, RunDir dir, NDManager manager,
                                        Consumer<String> say, Function<TrainingSession, List<FitListener>> listeners) {
        ImageSet all = images.train();
        int[] fold = folds(all, k, c.training().seed());
        float[][] out = new float[all.size()][];
        for (int f = 0; f < k; f++) {
            List<Integer> in = new ArrayList<>();
            List<Integer> held = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                (fold[i] == f ? held : in).add(i);
            }
            ImageSet train = all.subset(in.stream().mapToInt(Integer::intValue).toArray());
            ImageSet hold = all.subset(held.stream().mapToInt(Integer::intValue).toArray());
            say.accept("fold " + (f + 1) + "/" + k + ": train on " + train.size() + ", predict " + hold.size());
            float[][] p = trainAndPredict(c, images, train, hold, RunDir.create(dir.path(), "fold-" + (f + 1)), manager,
                    say, listeners);
            for (int j = 0; j < held.size(); j++) {
                out[held.get(j)] = p[j];
            }
        }
        return out;
    }
}
