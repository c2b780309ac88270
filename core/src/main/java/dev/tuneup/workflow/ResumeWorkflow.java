package dev.tuneup.workflow;

import dev.tuneup.TuneupException;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.RunRecord;
import java.nio.file.Path;

/**
 * {@code tuneup resume}: continues a run folder the way the workflow that made it would, by the kind
 * its run.json names (a folder without one is told by its files, e.g. finetune.json): a train run through
 * {@link TrainWorkflow#resume}, a fine-tune through {@link FinetuneWorkflow#resume}. Other kinds are
 * refused, saying what continues them.
 */
public final class ResumeWorkflow {
    private ResumeWorkflow() {
    }

    /** What was resumed; exactly one result is set. */
    public record Result(RunKind kind, TrainWorkflow.Result train, FinetuneWorkflow.Result finetune) {
    }

    public static Result resume(Path folder, boolean restart, Reporter out) {
        RunDir dir = RunDir.open(folder);
        RunKind kind = RunRecord.read(folder).kind();
        return switch (kind) {
            case FINETUNE -> new Result(kind, null, FinetuneWorkflow.resume(dir, restart, out));
            case TRAIN, UNKNOWN -> new Result(RunKind.TRAIN, TrainWorkflow.resume(dir, restart, out), null);
            default -> throw new TuneupException(folder + " is a run of tuneup " + kind.id() + "; tuneup resume continues"
                    + " train and finetune runs", kind == RunKind.TUNE ? "run the same tuneup tune command again: it"
                    + " resumes the study's unfinished trials" : "run tuneup " + kind.id() + " again");
        };
    }
}
