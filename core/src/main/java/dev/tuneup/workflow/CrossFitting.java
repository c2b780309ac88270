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

    /**
     * Probabilities ({@code [n][classes]}) for every image of {@code images.train()}, each from the
     * model that did not train on it.
     */
    public static float[][] outOfSample(ResolvedRun run, Sessions.Images images, int k, RunDir dir, NDManager manager,
                                        Reporter say) {
        ImageSet all = images.train();
        int[] fold = CrossFit.folds(all, k, run.config().training().seed());
        float[][] out = new float[all.size()][];
        for (int f = 0; f < k; f++) {
            List<Integer> in = new ArrayList<>();
            List<Integer> held = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                (fold[i] == f ? held : in).add(i);
            }
            ImageSet train = all.subset(in.stream().mapToInt(Integer::intValue).toArray());
            ImageSet hold = all.subset(held.stream().mapToInt(Integer::intValue).toArray());
            say.line("fold " + (f + 1) + "/" + k + ": train on " + train.size() + ", predict " + hold.size());
            float[][] p = trainAndPredict(run, images, train, hold, RunDir.create(dir.path(), "fold-" + (f + 1)), manager,
                    say);
            for (int j = 0; j < held.size(); j++) {
                out[held.get(j)] = p[j];
            }
        }
        return out;
    }
}
