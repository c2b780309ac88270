package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.data.ImageSet;
import dev.tuneup.evaluate.Calibrate;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.Scores;
import dev.tuneup.train.TrainingSession;
import dev.tuneup.report.Charts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end every training run shares: test the final model once (after every decision was taken on
 * validation), fit the temperature on validation, write the bundle.
 */
final class ModelTail {
    private ModelTail() {
    }

    /** Loss, accuracy and top-5 of {@code session}'s model on {@code test}, said and written to test.json. */
    static Scores test(TrainingSession session, BatchLoader test, RunDir dir, Reporter say) {
        Scores s = session.evaluate(test);
        say.line(String.format(Locale.ROOT, "test: loss %.4f, accuracy %.4f, top-5 %.4f", s.loss(), s.accuracy(),
                s.top5()));
        dir.writeJson("test.json", Map.of("loss", s.loss(), "accuracy", s.accuracy(), "top5", s.top5()));
        return s;
    }

    /**
     * Temperature fitted on {@code val}, then the bundle, said; with {@code val} null (a cross-fitting
     * fold's model) no calibration, written quietly. Returns the bundle folder.
     */
    static Path bundle(Block model, ModelBundle.Info info, ImageSet val, NDManager manager, RunDir dir, Reporter say) {
        ModelBundle.Info out = info;
        if (val != null) {
            Calibrate cal = Calibrate.fit(model, info, val, manager);
            say.line(cal.toString());
            out = cal.applyTo(info);
        }
        Path bundle = dir.path().resolve("bundle");
        ModelBundle.write(bundle, model, out);
        if (val != null) {
            say.line("bundle -> " + bundle);
        }
        return bundle;
    }

    /** curves.png from metrics rows (loss above accuracy against the epoch), said; a drawing problem is only warned. */
    static void curves(RunDir dir, List<Map<String, Object>> rows, Reporter say) {
        Path png = dir.path().resolve("curves.png");
        try {
            Charts.trainingCurves(png, rows);
            say.line("curves -> " + png);
        } catch (IOException | RuntimeException e) {
            say.line("warning: cannot draw curves.png: " + e.getMessage());
        }
    }
}
