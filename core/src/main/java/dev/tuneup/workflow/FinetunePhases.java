package dev.tuneup.workflow;

import ai.djl.nn.Block;
import dev.tuneup.TuneupException;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.finetune.Layers;
import dev.tuneup.finetune.Recipe;
import dev.tuneup.report.LrFinderPlot;
import dev.tuneup.track.RunDir;
import dev.tuneup.train.Checkpoints;
import dev.tuneup.train.EpochMetrics;
import dev.tuneup.train.FitListener;
import dev.tuneup.train.FitLoop;
import dev.tuneup.train.FitResult;
import dev.tuneup.train.LrFinder;
import dev.tuneup.train.Schedule;
import dev.tuneup.train.TrainingSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The phases of a fine-tune, fresh or resumed: the LR (finetune.lr, the configured schedules' own, or
 * the LR finder's), the recipe's plan, then one {@link TrainingSession} per phase on the one model, each
 * checkpointing into its own folder ({@code phases/phase-k}, the last into {@code checkpoints/}), with
 * {@link FinetuneState} ({@code finetune.json}) kept up to date and SIGTERM turned into a checkpoint and
 * a stop. A resumed run skips the phases that finished, puts the weights back from the checkpoint where
 * the run stopped (or where the phase before ended), and goes on bit-identically.
 */
final class FinetunePhases {
    private FinetunePhases() {
    }

    /** Opens a session for {@code phase} on the run's model. */
    interface Opener {
        TrainingSession open(Recipe.Phase phase, Schedule schedule, long seed, Path checkpoints, int epochs,
                             boolean restoreBest, int inferenceBlocks);
    }

    /**
     * How the phases are driven.
     *
     * @param resume  continue the run in the folder from its finetune.json and checkpoints
     * @param restart with {@code resume}: when the current phase's checkpoints are all damaged, run that phase again
     * @param extra   an extra listener per phase (1-based) and session, or null (tests stop a phase with one)
     */
    record Control(boolean resume, boolean restart, BiFunction<Integer, TrainingSession, FitListener> extra) {
        static final Control FRESH = new Control(false, false, null);
    }

    /**
     * How the phases ended.
     *
     * @param fit     how the last phase that ran ended
     * @param last    that phase's session, still open (the caller tests with it and closes it); null if none ran
     */
    record Outcome(FitResult fit, List<FinetuneWorkflow.PhaseEpoch> history, TrainingSession last,
                   LrFinder.Result found, double lr) {
    }

    static Outcome run(ResolvedRun run, RunDir dir, Block model, Layers layers, Opener open, Control control,
                       SigtermStop sigterm, Reporter say) {
        ResolvedRun.Finetune f = run.finetune();
        int epochs = run.config().training().epochs();
        long seed = run.config().training().seed();
        FinetuneState state = control.resume() ? FinetuneState.read(dir.path()) : null;
        LrFinder.Result found = null;
        List<Recipe.Phase> phases;
        if (state == null) {
            if (control.resume()) {
                say.line("no phase plan yet (stopped before the LR was chosen): starting the fine-tune over");
            }
            double lr = f.lr();
            String source = f.lr() > 0 ? "finetune.lr" : "schedule";
            if (f.findsLr()) {
                found = findLr(f, epochs, seed, dir, model, layers, open, say);
                lr = Double.isFinite(found.valley()) ? found.valley() : 1e-3;
                source = "lr_finder";
                say.line(String.format(Locale.ROOT, "LR finder (%s): valley %.2g, steepest %.2g, min/10 %.2g -> lr %.2g;"
                        + " plot lr-find.png", Recipe.plan(f.settings(epochs, 1e-3), layers).get(0).name(),
                        found.valley(), found.steepest(), found.minOver10(), lr));
            }
            phases = Recipe.plan(f.settings(epochs, lr), layers);
            state = new FinetuneState(lr, source, planned(phases), List.of());
            state.write(dir);
        } else {
            phases = Recipe.plan(f.settings(epochs, state.lr()), layers);
            if (!planned(phases).equals(state.phases())) {
                throw new TuneupException("the phases recorded in " + dir.path().resolve(FinetuneState.FILE) + " ("
                        + state.phases() + ") are not the ones its config.yaml gives now (" + planned(phases) + ")",
                        "resume with the tuneup version that started the run, or fine-tune again in a new run folder");
            }
        }
        return phases(run, dir, model, phases, state, open, control, sigterm, say, found);
    }

    private static Outcome phases(ResolvedRun run, RunDir dir, Block model, List<Recipe.Phase> phases,
                                  FinetuneState planned, Opener open, Control control, SigtermStop sigterm,
                                  Reporter say, LrFinder.Result found) {
        long seed = run.config().training().seed();
        int keep = run.config().training().keepCheckpoints();
        int n = phases.size();
        FinetuneState state = planned;
        // every phase finished (stopped while testing or bundling): the last one is opened again at its end, run
        // for no step (the best weights back), and its epochs are cut to those it ran when it stopped early
        FinetuneState.Finished ended = state.finished().size() == n ? state.finished().get(n - 1) : null;
        int start = Math.min(state.finished().size(), n - 1);
        state = new FinetuneState(state.lr(), state.lrSource(), state.phases(), state.finished().subList(0, start));
        List<FinetuneWorkflow.PhaseEpoch> history = new ArrayList<>();
        for (int k = 0; k < start; k++) {
            for (EpochMetrics m : state.finished().get(k).result().history()) {
                history.add(new FinetuneWorkflow.PhaseEpoch(k + 1, m));
            }
        }
        if (control.resume()) {
            say.line(ended != null ? "all " + n + " phases finished; the last one's weights, then test and bundle"
                    : start == 0 ? "resuming phase 1/" + n : String.format(Locale.ROOT, "phases 1-%d of %d finished;"
                    + " resuming phase %d", start, n, start + 1));
        }
        FitResult reason = null;
        TrainingSession last = null;
        if (control.resume() && start > 0 && new Checkpoints(folder(dir, start, n), keep).loadLatest() == null) {
            weightsAfter(start, phases, dir, open, seed);
        }
        for (int k = start; k < n; k++) {
            Recipe.Phase phase = phases.get(k);
            boolean final0 = k == n - 1;
            say.line("phase " + (k + 1) + "/" + n + " " + phase.describe());
            boolean over = ended != null && k == start;
            TrainingSession s = session(run, model, phase, k, folder(dir, k, n), final0,
                    over ? ended.history().size() : phase.epochs(), open);
            if (last != null) {
                last.close();
            }
            last = s;
            if (control.resume() && k == start) {
                Checkpoints.Loaded from = s.resume(control.restart());
                if (from != null) {
                    from.warnings().forEach(w -> say.line("warning: " + w));
                    say.line("  resumed at step " + from.step() + " of the phase from "
                            + dir.path().relativize(from.folder()));
                } else {
                    say.line("  no checkpoint in the phase yet: it starts at its first step");
                }
            }
            say.line("  " + s.groups());
            sigterm.watch(s);
            List<FitListener> listeners = new ArrayList<>(List.of(new EpochConsole(say, dir, s)));
            if (control.extra() != null) {
                listeners.add(control.extra().apply(k + 1, s));
            }
            reason = new FitLoop(s, listeners).run();
            if (over) {
                reason = new FitResult(ended.reason(), ended.detail(), reason.history());
            }
            for (EpochMetrics m : reason.history()) {
                history.add(new FinetuneWorkflow.PhaseEpoch(k + 1, m));
            }
            dir.writeMetrics(history.stream().map(FinetuneWorkflow.PhaseEpoch::row).toList());
            say.line("  " + reason.detail());
            if (reason.interrupted()) {
                break;
            }
            state = state.finish(k + 1, reason);
            state.write(dir);
        }
        return new Outcome(reason, history, last, found, state.lr());
    }

    /** The LR finder's sweep on the first phase's setup, put back exactly; draws lr-find.png. */
    private static LrFinder.Result findLr(ResolvedRun.Finetune f, int epochs, long seed, RunDir dir, Block model,
                                          Layers layers, Opener open, Reporter say) {
        Recipe.Phase first = Recipe.plan(f.settings(epochs, 1e-3), layers).get(0);
        LrFinder.Result found;
        try (TrainingSession s = open.open(first, new Schedule.Constant(1e-3), seed, dir.path().resolve("lr-find"), 1,
                false, FinetuneWorkflow.inferenceBlocks(model));
             LrProgress bar = new LrProgress(say)) {
            found = LrFinder.run(s, LrFinder.DEFAULT_START, LrFinder.DEFAULT_END, LrFinder.DEFAULT_STEPS, bar);
        }
        try {
            LrFinderPlot.write(dir.path().resolve("lr-find.png"), found);
        } catch (IOException e) {
            say.line("warning: cannot draw lr-find.png: " + e.getMessage());
        }
        return found;
    }

    /**
     * Phase {@code k}'s (0-based) session for {@code epochs} (the phase's, or fewer for one that stopped early
     * and is only opened again at its end), its schedule checked against the phase's length.
     */
    private static TrainingSession session(ResolvedRun run, Block model, Recipe.Phase phase, int k, Path folder,
                                           boolean final0, int epochs, Opener open) {
        long seed = run.config().training().seed() + k;
        Schedule schedule = phase.schedule() != null ? phase.schedule() : new Schedule.Constant(phase.plateau().lr());
        TrainingSession s = open.open(phase, schedule, seed, folder, epochs,
                final0 && run.config().training().restoreBest(),
                phase.backboneInference() ? FinetuneWorkflow.inferenceBlocks(model) : 0);
        if (phase.plateau() != null) {
            s.withPlateau(phase.plateau().start());
        } else if (!phase.scheduleKey().isEmpty() && epochs == phase.epochs()) {
            long total = s.totalSteps();
            try {
                schedule.at(0, total);
                schedule.at(total - 1, total);
            } catch (IllegalArgumentException e) {
                s.close();
                throw new TuneupException("config " + phase.scheduleKey() + ": " + e.getMessage() + " (phase " + (k + 1)
                        + ", " + phase.name() + ", has " + total + " steps: " + phase.epochs() + " epochs of "
                        + total / phase.epochs() + " batches; steps in a schedule count from the start of each phase)",
                        "adjust the schedule, or give each phase its own with finetune.schedules");
            }
        }
        return s;
    }

    /**
     * Puts the model's weights back to where phase {@code next - 1} (0-based) ended, from its last
     * checkpoint: the phase after it wrote none before the run stopped.
     */
    private static void weightsAfter(int next, List<Recipe.Phase> phases, RunDir dir, Opener open, long seed) {
        Recipe.Phase done = phases.get(next - 1);
        Path folder = folder(dir, next - 1, phases.size());
        try (TrainingSession s = open.open(done, new Schedule.Constant(1e-3), seed + next - 1, folder, done.epochs(),
                false, 0)) {
            if (s.resume(false) == null) {
                throw new TuneupException("phase " + next + " finished, but no checkpoint of it is left in " + folder
                        + ", and phase " + (next + 1) + " wrote none yet: the weights to continue from are gone",
                        "restore " + folder + " from a backup, or fine-tune again in a new run folder");
            }
        }
    }

    /** Phase {@code k}'s (0-based) checkpoint folder: phases/phase-(k+1), the last phase's checkpoints/. */
    static Path folder(RunDir dir, int k, int n) {
        return k == n - 1 ? dir.checkpoints() : dir.path().resolve("phases").resolve("phase-" + (k + 1));
    }

    private static List<FinetuneState.Planned> planned(List<Recipe.Phase> phases) {
        List<FinetuneState.Planned> out = new ArrayList<>();
        for (int k = 0; k < phases.size(); k++) {
            out.add(FinetuneState.Planned.of(phases.get(k), k == phases.size() - 1 ? "checkpoints"
                    : "phases/phase-" + (k + 1)));
        }
        return out;
    }
}
