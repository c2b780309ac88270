package dev.tuneup.tune;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs a study's trials until its budget is spent: each trial is {@code <launcher> train --config
 * base.yaml --set ...} in its own process, at most {@code parallel} at once, each epoch's monitored
 * validation value is recorded in the {@link Study} and put to the {@link Pruner}, and a pruned trial's
 * process is killed. A trial whose process exits non-zero is FAILED (with its stderr's last lines) and
 * the study goes on. Trials left RUNNING by an interrupted earlier session are run first, with their
 * recorded values; finished trials are never run again. When the wall-clock limit passes, running
 * trials are stopped and stay RUNNING (the next session runs them again) and no new trial starts.
 */
public final class StudyRunner {
    private static final long POLL_MS = 200;

    /**
     * @param trials   the study's total number of trials (earlier sessions' included)
     * @param time     wall-clock limit of this session, or null for none
     * @param epochs   each trial's training.epochs (the pruners' resource)
     * @param parallel trial processes at once
     */
    public record Budget(int trials, Duration time, int epochs, int parallel) {
        public Budget {
            if (trials < 1 || epochs < 1 || parallel < 1) {
                throw new IllegalArgumentException("trials, epochs and parallel must be >= 1: " + trials + ", " + epochs
                        + ", " + parallel);
            }
        }
    }

    /** What the runner reports as it goes (the CLI prints it). */
    public interface Listener {
        default void onStart(Trial trial, boolean rerun) {
        }

        void onEnd(Trial trial, Trial best);
    }

    /** How a session ended: all trials finished, or the time limit stopped it. */
    public enum Outcome {
        FINISHED, TIME_LIMIT
    }

    private final Study study;
    private final SearchSpace space;
    private final Objective objective;
    private final Sampler sampler;
    private final Pruner pruner;
    private final Budget budget;
    private final Path folder;
    private final List<String> trainCommand;
    private final Listener listener;
    private final TrialLauncher launcher;
    private final List<Running> running = new CopyOnWriteArrayList<>(); // the SIGTERM hook reads it too
    private boolean stopping; // set by killAll: a trial killed by the study itself is not FAILED, it stays RUNNING

    private record Running(Trial trial, TrialProcess process) {
    }

    /**
     * @param trainCommand the command line up to and including {@code train --config base.yaml} and any
     *                     base overrides; each trial appends its own {@code --set}s
     */
    public StudyRunner(Study study, SearchSpace space, Objective objective, Sampler sampler, Pruner pruner, Budget budget,
                       Path folder, List<String> trainCommand, Listener listener) {
        this(study, space, objective, sampler, pruner, budget, folder, trainCommand, listener, TrialLauncher.LOCAL);
    }

    /** As above, each trial started by {@code launcher} (e.g. as a Spark task). */
    public StudyRunner(Study study, SearchSpace space, Objective objective, Sampler sampler, Pruner pruner, Budget budget,
                       Path folder, List<String> trainCommand, Listener listener, TrialLauncher launcher) {
        this.study = study;
        this.space = space;
        this.objective = objective;
        this.sampler = sampler;
        this.pruner = pruner;
        this.budget = budget;
        this.folder = folder;
        this.trainCommand = List.copyOf(trainCommand);
        this.listener = listener;
        this.launcher = launcher;
    }

    public Outcome run() throws InterruptedException {
        long deadline = budget.time() == null ? Long.MAX_VALUE : System.nanoTime() + budget.time().toNanos();
        Deque<Trial> rerun = new ArrayDeque<>();
        for (Trial t : study.trials()) {
            if (t.state() == Trial.State.RUNNING) {
                study.restart(t.number());
                rerun.add(study.trial(t.number()));
            }
        }
        Thread hook = new Thread(this::killAll, "tuneup-tune-stop"); // a SIGTERM'd study takes its trials with it
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (true) {
                boolean late = System.nanoTime() > deadline;
                while (!late && running.size() < budget.parallel() && (!rerun.isEmpty()
                        || study.trials().size() < budget.trials())) {
                    boolean again = !rerun.isEmpty();
                    Trial t = again ? rerun.poll() : study.start(sampler.sample(space, study.trials(),
                            study.trials().size()));
                    listener.onStart(t, again);
                    running.add(new Running(t, TrialProcess.start("trial " + t.number(), trialFolder(t), command(t),
                            launcher)));
                }
                if (running.isEmpty()) {
                    return Outcome.FINISHED;
                }
                if (late) {
                    killAll();
                    return Outcome.TIME_LIMIT;
                }
                Thread.sleep(POLL_MS);
                running.removeIf(this::poll);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    /** The trial's command: the train command, its epochs and folder, no test set, then its values. */
    List<String> command(Trial t) {
        List<String> cmd = new ArrayList<>(trainCommand);
        List<String> sets = new ArrayList<>(List.of("training.epochs=" + budget.epochs(),
                "output.dir=" + trialFolder(t).toAbsolutePath(),
                "output.name=trial-" + t.number(), "data.use_test=false"));
        sets.addAll(space.overrides(t.params()));
        for (String s : sets) {
            cmd.add("--set");
            cmd.add(s);
        }
        cmd.add("--stop-with-parent");
        return cmd;
    }

    private Path trialFolder(Trial t) {
        return folder.resolve(String.format(Locale.ROOT, "trial-%04d", t.number()));
    }

    /** Records new epochs, prunes, or finishes the trial; true when it is done. */
    private synchronized boolean poll(Running r) {
        if (stopping) {
            return true;
        }
        TrialProcess p = r.process();
        boolean alive = p.alive(); // before reading, so a trial that ended is read after its last epoch
        List<Double> values = p.values(objective.metric());
        int reported = study.trial(r.trial().number()).epochs();
        for (int e = reported; e < values.size(); e++) {
            study.report(r.trial().number(), e + 1, values.get(e));
            Trial now = study.trial(r.trial().number());
            if (e + 1 < budget.epochs() && pruner.prune(now, study.trials())) { // at the last epoch nothing is saved
                p.kill();
                study.finish(now.number(), Trial.State.PRUNED, objective.best(now.intermediate()), p.seconds(),
                        String.format(Locale.ROOT, "pruned after epoch %d", e + 1));
                end(now.number());
                return true;
            }
        }
        if (alive) {
            return false;
        }
        int code = p.exitCode();
        if (code == 0) {
            study.finish(r.trial().number(), Trial.State.COMPLETE, objective.best(values), p.seconds(), "");
        } else {
            study.finish(r.trial().number(), Trial.State.FAILED, objective.best(values), p.seconds(),
                    "exit code " + code + ": " + p.stderrTail(3));
        }
        end(r.trial().number());
        return true;
    }

    private void end(int number) {
        listener.onEnd(study.trial(number), best(study.trials(), objective));
    }

    private synchronized void killAll() {
        stopping = true;
        for (Running r : running) {
            r.process().kill();
        }
    }

    /** The best COMPLETE trial, or null. */
    public static Trial best(List<Trial> trials, Objective objective) {
        Trial best = null;
        for (Trial t : trials) {
            if (t.state() == Trial.State.COMPLETE && !Double.isNaN(t.value())
                    && (best == null || objective.better(t.value(), best.value()))) {
                best = t;
            }
        }
        return best;
    }
}
