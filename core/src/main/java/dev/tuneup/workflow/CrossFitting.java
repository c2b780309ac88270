package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.data.ImageSet;
import dev.tuneup.repair.CrossFit;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.FitLoop;
import dev.tuneup.train.TrainingSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Out-of-sample predicted probabilities by K-fold cross-fitting: the training images are split
 * into {@code k} stratified folds ({@link CrossFit#folds}); for each fold a model is trained on the
 * other folds with the run's config and predicts the held-out fold.
 */
public final class CrossFitting {
    private CrossFitting() {
    }

    /**
     * Trains one model on {@code train} with the run config and returns its probabilities for
     * {@code predictOn}; its bundle is kept in {@code d}.
     */
    public static float[][] trainAndPredict(ResolvedRun run, Sessions.Images images, ImageSet train, ImageSet predictOn,
                                            RunDir d, NDManager manager, Reporter say) {
        Path bundle = train(run, images, train, d, manager, say);
        try (NDManager m = manager.newSubManager()) {
            return new Predictor(ModelBundle.load(bundle, m), m, 256).probabilities(predictOn);
        }
    }

    /**
     * Trains one model on {@code train} with the run config (validating on {@code images.val()}, never
     * testing) and returns its bundle in {@code d}. With {@code finetune.base} set, the model is
     * fine-tuned from that base with the config's recipe; otherwise it is trained from scratch.
     */
    public static Path train(ResolvedRun run, Sessions.Images images, ImageSet train, RunDir d, NDManager manager,
                             Reporter say) {
        Sessions.Images fold = new Sessions.Images(images.name(), train, images.val(), null, images.augment());
        try (NDManager m = manager.newSubManager()) {
            if (run.finetunes()) {
                return FinetuneWorkflow.fit(run, d, m, say, fold).bundle();
            }
            Sessions.Opened o = Sessions.open(run, d, m, fold, say);
            try (TrainingSession s = o.session()) {
                new FitLoop(s, List.of(new EpochConsole(say, d, s))).run();
                return ModelTail.bundle(s.model(), o.bundleInfo(), null, m, d, say);
            }
        }
    }

    /** How out-of-sample probabilities are computed: in this process ({@link #outOfSample}) or by an engine. */
    @FunctionalInterface
    public interface OutOfSample {
        float[][] compute(ResolvedRun run, Sessions.Images images, int k, RunDir dir, NDManager manager, Reporter say);
    }

    /** One fold's model's probabilities for the images it held out ({@code held}: indices into the training set). */
    public record Fold(int[] held, float[][] probabilities) implements java.io.Serializable {
    }

    /**
     * Probabilities ({@code [n][classes]}) for every image of {@code images.train()}, each from the
     * model that did not train on it.
     */
    public static float[][] outOfSample(ResolvedRun run, Sessions.Images images, int k, RunDir dir, NDManager manager,
                                        Reporter say) {
        float[][] out = new float[images.train().size()][];
        for (int f = 0; f < k; f++) {
            place(fold(run, images, k, f, dir.path(), manager, say), out);
        }
        return out;
    }

    /** Copies a fold's rows into their places in {@code out}. */
    public static void place(Fold fold, float[][] out) {
        for (int j = 0; j < fold.held().length; j++) {
            out[fold.held()[j]] = fold.probabilities()[j];
        }
    }

    /**
     * Fold {@code f} of {@code k} (stratified and seeded by the run's seed, {@link CrossFit#folds}): a model
     * trained on the other folds, in a new run folder {@code fold-<f+1>} under {@code parent}, predicts it.
     * The same on any machine that has the same images, so folds can be trained apart.
     */
    public static Fold fold(ResolvedRun run, Sessions.Images images, int k, int f, Path parent, NDManager manager,
                            Reporter say) {
        ImageSet all = images.train();
        int[] fold = CrossFit.folds(all, k, run.config().training().seed());
        List<Integer> in = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (fold[i] == f ? held : in).add(i);
        }
        int[] heldIdx = held.stream().mapToInt(Integer::intValue).toArray();
        ImageSet train = all.subset(in.stream().mapToInt(Integer::intValue).toArray());
        ImageSet hold = all.subset(heldIdx);
        say.line("fold " + (f + 1) + "/" + k + ": train on " + train.size() + ", predict " + hold.size());
        return new Fold(heldIdx, trainAndPredict(run, images, train, hold, RunDir.create(parent, "fold-" + (f + 1)),
                manager, say));
    }
}
