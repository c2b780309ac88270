package dev.tuneup.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tuneup.tune.AshaPruner;
import dev.tuneup.tune.Distribution;
import dev.tuneup.tune.Objective;
import dev.tuneup.tune.RandomSampler;
import dev.tuneup.tune.SearchSpace;
import dev.tuneup.tune.Study;
import dev.tuneup.tune.StudyRunner;
import dev.tuneup.tune.Trial;
import dev.tuneup.workflow.DistributedTrials;
import dev.tuneup.workflow.Reporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tune's trials as Spark tasks, with a stand-in for {@code tuneup train} (a shell script writing
 * metrics.csv epoch by epoch, val_acc = (1 - |dropout - 0.3|) x (0.5 + 0.5 epoch / epochs), failing for
 * activation "boom"): every trial is recorded once in the study store, failures as FAILED with their
 * stderr, and a trial the pruner stops is cancelled on Spark and its process killed.
 */
class SparkTrialsTest {
    @TempDir
    Path dir;

    private static final Objective ACC = new Objective("val_acc", true);

    @Test
    void trialsRunAsSparkTasksPrunedOnesAreKilledAndTheStudyRecordsEachOnce() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh for the stand-in train command");
        SearchSpace space = new SearchSpace(List.of(
                new SearchSpace.Param("model.head_dropout", new Distribution.Uniform(0, 1), null, Map.of()),
                new SearchSpace.Param("model.activation", new Distribution.Categorical(List.of("relu", "gelu", "boom")),
                        null, Map.of())));
        Path script = dir.resolve("train.sh");
        Files.writeString(script, """
                #!/bin/sh
                for a in "$@"; do
                  case "$a" in
                    output.dir=*) out="${a#output.dir=}" ;;
                    training.epochs=*) epochs="${a#training.epochs=}" ;;
                    model.head_dropout=*) p="${a#model.head_dropout=}" ;;
                    model.activation=*) act="${a#model.activation=}" ;;
                  esac
                done
                if [ "$act" = '"boom"' ]; then echo "error: boom is not an activation" >&2; exit 1; fi
                run="$out/20260101-000000-trial"; mkdir -p "$run"
                rows="epoch,val_acc"
                e=1
                while [ $e -le $epochs ]; do
                  v=$(awk -v p="$p" -v e="$e" -v n="$epochs" 'BEGIN { d = p - 0.3; if (d < 0) d = -d; print (1 - d) * (0.5 + 0.5 * e / n) }')
                  rows="$rows
                $((e - 1)),$v"
                  printf '%s\\n' "$rows" > "$run/.m.tmp" && mv "$run/.m.tmp" "$run/metrics.csv"
                  sleep 0.4
                  e=$((e + 1))
                done
                """);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("SparkTrialsTest")
                .config("spark.ui.enabled", "false").getOrCreate();
        List<String> lines = new ArrayList<>();
        List<Trial> trials;
        try (DistributedTrials.Launcher launcher = new SparkTrials().open(null, Reporter.lines(lines::add));
             Study st = Study.open(dir.resolve("study/study.db"))) {
            StudyRunner.Outcome outcome = new StudyRunner(st, space, ACC, new RandomSampler(5), new AshaPruner(ACC),
                    new StudyRunner.Budget(8, null, 3, 2), dir.resolve("study"),
                    new ArrayList<>(List.of("sh", script.toString(), "train")), (t, best) -> { }, launcher).run();
            assertEquals(StudyRunner.Outcome.FINISHED, outcome);
            trials = st.trials();
        } finally {
            spark.stop();
        }
        assertTrue(lines.get(0).contains("trials run as Spark tasks on local[2]"), lines.toString());
        assertEquals(8, trials.size());
        for (Trial t : trials) {
            boolean boom = t.params().get("model.activation").equals("boom");
            assertEquals(boom, t.state() == Trial.State.FAILED, t.toString());
            if (boom) {
                assertTrue(t.note().contains("exit code 1") && t.note().contains("boom is not an activation"), t.note());
                continue;
            }
            double p = (Double) t.params().get("model.head_dropout");
            double full = 1 - Math.abs(p - 0.3);
            if (t.state() == Trial.State.COMPLETE) {
                assertEquals(full, t.value(), 1e-5, t.toString());
                assertEquals(3, t.epochs(), t.toString());
            } else {
                assertEquals(Trial.State.PRUNED, t.state(), t.toString());
                Path csv = dir.resolve(String.format("study/trial-%04d/20260101-000000-trial/metrics.csv", t.number()));
                Thread.sleep(1000); // a process that survived its cancel would write epoch 3 by now
                assertTrue(Files.readAllLines(csv).size() < 4, "pruned trial " + t.number() + " kept running");
            }
        }
        assertTrue(trials.stream().anyMatch(t -> t.state() == Trial.State.PRUNED), "ASHA pruned someone: " + trials);
    }
}
