package dev.tuneup.cli;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.ImageSet;
import dev.tuneup.repair.LabelRepair;
import dev.tuneup.serve.LogReader;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.Runs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * The users' labels from a {@code tuneup serve} log (corrections, and confirmations of right
 * answers) as training data: every fifth is held out to measure the repair on the images users
 * actually send; the rest join the training set, repeated {@code weight} times so a few hundred
 * labels are not drowned by the data set.
 */
final class FeedbackRepair {
    /** Training images with the corrections added, and the held-out corrections. */
    record Split(Runs.Images images, ImageSet heldOut, int used) {
    }

    private FeedbackRepair() {
    }

    static Split prepare(Path model, String db, Runs.Images loaded, int weight, RunDir dir, PrintWriter o) {
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
        LogReader.Corrections c;
        try (LogReader log = new LogReader(db)) {
            c = log.corrections(info.classes(), p.height(), p.width(), p.channels());
        }
        int n = c.images().size();
        TrainRunner.say(o, dir, n + " labelled images from " + db + ": " + (n - c.confirmations()) + " corrections, "
                + c.confirmations() + " confirmations (" + c.withoutImage() + " labels without a kept image, "
                + c.unknownClass() + " naming another model's class, " + c.undecodable() + " undecodable)");
        if (c.confirmations() == 0) {
            TrainRunner.say(o, dir, "note: with corrections only, the held-out images are all ones the model got"
                    + " wrong, so its accuracy on them starts at 0 by selection; labels for right answers too"
                    + " (correct_label = the answer) make that measure fair");
        }
        if (n < 5) {
            throw new TuneupException("only " + n + " usable labels in " + db,
                    "collect more feedback (POST /v1/feedback) before repairing; at least 5 are needed");
        }
        int[] held = IntStream.range(0, n).filter(i -> i % 5 == 4).toArray();
        int[] used = IntStream.range(0, n).filter(i -> i % 5 != 4).toArray();
        ImageSet train = loaded.train();
        ImageSet add = c.images().subset(used);
        for (int k = 0; k < weight; k++) {
            train = ImageSet.concat(train, add);
        }
        TrainRunner.say(o, dir, used.length + " labelled images join the training set (x" + weight + "), " + held.length
                + " are held out to measure the repair");
        return new Split(new Runs.Images(loaded.name(), train, loaded.val(), loaded.test(), loaded.augment()),
                c.images().subset(held), used.length);
    }

    /** Accuracy of {@code bundle} on {@code set}. */
    static double accuracy(Path bundle, ImageSet set) {
        try (NDManager m = NDManager.newBaseManager()) {
            int[] pred = LabelRepair.argmax(new Predictor(ModelBundle.load(bundle, m), m, 256).probabilities(set));
            int[] y = set.labels();
            return IntStream.range(0, y.length).filter(i -> pred[i] == y[i]).count() / (double) Math.max(1, y.length);
        }
    }
}
