package dev.tuneup.workflow;

import dev.tuneup.JsonFiles;
import dev.tuneup.TuneupException;
import dev.tuneup.finetune.Recipe;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.EpochMetrics;
import dev.tuneup.train.FitResult;
import dev.tuneup.train.StopReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code finetune.json} in a fine-tune's run folder: what {@code tuneup resume} needs beyond the config
 * to continue it exactly. The LR the phases were planned with (the LR finder's pick is not found again:
 * the finder puts the model back bit for bit, so skipping it changes nothing), the phase plan (each
 * phase's name, epochs, schedule and checkpoint folder, checked against the plan the config gives on
 * resume), and every finished phase with how it ended and its epochs. Written when the plan is made and
 * after each phase; the weights, optimizer state and position live in each phase's checkpoints.
 *
 * @param lr       the recipe LR the phases were planned with (0: configured schedules as written)
 * @param lrSource {@code lr_finder}, {@code finetune.lr} or {@code schedule} (the configured schedules' own)
 */
record FinetuneState(double lr, String lrSource, List<Planned> phases, List<Finished> finished) {
    static final String FILE = "finetune.json";

    /** One phase as planned; {@code checkpoints} relative to the run folder. */
    record Planned(String name, int epochs, String schedule, String checkpoints) {
        static Planned of(Recipe.Phase p, String checkpoints) {
            return new Planned(p.name(), p.epochs(), String.valueOf(p.schedule() != null ? p.schedule() : p.plateau()),
                    checkpoints);
        }
    }

    /** A phase that ran to its end (or stopped early by the monitor): how, and its epochs as metrics.csv rows. */
    record Finished(int phase, StopReason reason, String detail, List<Map<String, Object>> history) {
        FitResult result() {
            return new FitResult(reason, detail, history.stream().map(EpochMetrics::of).toList());
        }
    }

    FinetuneState {
        phases = List.copyOf(phases);
        finished = List.copyOf(finished);
    }

    /** The same with phase {@code k} (1-based) finished as {@code r}. */
    FinetuneState finish(int k, FitResult r) {
        List<Finished> all = new ArrayList<>(finished);
        all.add(new Finished(k, r.reason(), r.detail(), EpochMetrics.rows(r.history())));
        return new FinetuneState(lr, lrSource, phases, all);
    }

    void write(RunDir dir) {
        dir.writeJson(FILE, this);
    }

    /** The state in {@code dir}, or null when the run stopped before its phases were planned. */
    static FinetuneState read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JsonFiles.read(Files.readAllBytes(file), FinetuneState.class);
        } catch (IOException e) {
            throw new TuneupException("cannot read " + file + ": " + e.getMessage(), "restore it from a backup, or"
                    + " start the fine-tune again (tuneup finetune with the run's config.yaml)");
        }
    }
}
