package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.ImageSet;
import dev.tuneup.repair.LabelRepair;
import dev.tuneup.repair.UserLabels;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * The users' labels (corrections, and confirmations of right answers) as training data: every
 * fifth is held out to measure the repair on the images users actually send; the rest join the
 * training set, repeated {@code weight} times so a few hundred labels are not drowned by the data set.
 */
final class FeedbackTraining {
    /** Training images with the users' labels added, and the held-out ones. */
    record Split(Sessions.Images images, ImageSet heldOut, int used) {
    }

    private FeedbackTraining() {
    }

    static Split prepare(Path model, UserLabels.Source source, Sessions.Images loaded, int weight, Reporter say) {
        ModelBundle.Info info;
        try (NDManager m = NDManager.newBaseManager()) {
            info = ModelBundle.load(model, m).info();
        }
        if (!info.classes().equals(loaded.train().classes())) {
            throw new TuneupException("the bundle's classes " + info.classes() + " differ from the training data's "
                    + loaded.train().classes(), "repair with the data (and data.classes) the bundle was trained on");
        }
        Preprocessing p = info.preprocessing();
        ImageSet t = loaded.train();
        if (t.height() != p.height() || t.width() != p.width() || t.channels() != p.channels()) {
            throw new TuneupException("the training data load as " + t.height() + "x" + t.width() + "x" + t.channels()
                    + ", the bundle takes " + p.height() + "x" + p.width() + "x" + p.channels(),
                    "use the config of the run that made the bundle (its data size and channels)");
        }
        UserLabels c = source.read(info.classes(), p.fit(), p.channels());
        int n = c.images().size();
        say.line(n + " labelled images from " + source.name() + ": " + (n - c.confirmations()) + " corrections, "
                + c.confirmations() + " confirmations (" + c.withoutImage() + " labels without a kept image, "
                + c.unknownClass() + " naming another model's class, " + c.undecodable() + " undecodable)");
        if (c.confirmations() == 0) {
            say.line("note: with corrections only, the held-out images are all ones the model got wrong, so its"
                    + " accuracy on them starts at 0 by selection; labels for right answers too (correct_label = the"
                    + " answer) make that measure fair");
        }
        if (n < 5) {
            throw new TuneupException("only " + n + " usable labels in " + source.name(),
                    "collect more feedback (POST /v1/feedback) before repairing; at least 5 are needed");
        }
        int[] held = IntStream.range(0, n).filter(i -> i % 5 == 4).toArray();
        int[] used = IntStream.range(0, n).filter(i -> i % 5 != 4).toArray();
        ImageSet train = loaded.train();
        ImageSet add = c.images().subset(used);
        for (int k = 0; k < weight; k++) {
            train = ImageSet.concat(train, add);
        }
        say.line(used.length + " labelled images join the training set (x" + weight + "), " + held.length
                + " are held out to measure the repair");
        return new Split(loaded.withTrain(train),
                c.images().subset(held), used.length);
    }

    /** Accuracy of {@code model} on {@code set}. */
    static double accuracy(ModelBundle.Loaded model, ImageSet set) {
        try (NDManager m = NDManager.newBaseManager()) {
            int[] pred = LabelRepair.argmax(new Predictor(model, m, 256).probabilities(set));
            return LabelRepair.accuracy(pred, set.labels());
        }
    }
}
