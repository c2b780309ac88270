// Replays a finished study's learning curves through a pruner, in trial order, as if the study had run
// with it: which trials it would have stopped, after how many epochs, and whether they were the bad ones.
// Used by bench/tune.sh on the random-search (unpruned) studies, whose every trial ran all its epochs.
//   java -cp cli/target/tuneup.jar bench/TuneReplay.java <study.db> [asha|median]
import dev.tuneup.tune.*;
import java.nio.file.Path;
import java.util.*;

public class TuneReplay {
    public static void main(String[] args) {
        try (Study study = Study.open(Path.of(args[0]))) {
            StudySettings s = StudySettings.of(study);
            Objective objective = new Objective(s.metric(), s.maximize());
            Pruner pruner = args.length > 1 && args[1].equals("median") ? new MedianPruner(objective) : new AshaPruner(objective);
            List<Trial> full = study.trials().stream().filter(t -> t.state() == Trial.State.COMPLETE).toList();
            double[] finals = full.stream().mapToDouble(Trial::value).sorted().toArray();
            double median = finals[finals.length / 2];
            List<Trial> replayed = new ArrayList<>();
            int epochs = 0, pruned = 0, bad = 0, badPruned = 0;
            for (Trial t : full) {
                List<Double> seen = new ArrayList<>();
                Trial.State state = Trial.State.COMPLETE;
                for (int e = 0; e < t.epochs(); e++) {
                    seen.add(t.intermediate().get(e));
                    Trial now = new Trial(t.number(), Trial.State.RUNNING, t.params(), Double.NaN, seen, 0, "");
                    if (e + 1 < s.epochs() && pruner.prune(now, replayed)) {
                        state = Trial.State.PRUNED;
                        break;
                    }
                }
                boolean isBad = objective.better(median, t.value());
                bad += isBad ? 1 : 0;
                pruned += state == Trial.State.PRUNED ? 1 : 0;
                badPruned += isBad && state == Trial.State.PRUNED ? 1 : 0;
                epochs += seen.size();
                replayed.add(new Trial(t.number(), state, t.params(), objective.best(seen), seen, 0, ""));
                System.out.printf(Locale.ROOT, "trial %2d final %.4f %-4s -> %s after %d epochs%n", t.number(), t.value(),
                        isBad ? "bad" : "", state, seen.size());
            }
            Trial best = StudyRunner.best(full, objective);
            Trial bestReplayed = replayed.stream().filter(t -> t.number() == best.number()).findFirst().orElseThrow();
            System.out.printf(Locale.ROOT, "replayed %s: %d of %d trials pruned, %d of the %d below the median final value;"
                    + " %d of %d epochs (%.0f%% saved); the best trial (%d, %.4f) %s%n", pruner, pruned, full.size(),
                    badPruned, bad, epochs, full.size() * s.epochs(), 100.0 * (1 - epochs / (double) (full.size() * s.epochs())),
                    best.number(), best.value(), bestReplayed.state() == Trial.State.COMPLETE ? "survives" : "is pruned");
        }
    }
}
