package dev.tuneup.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study store and runner with a stand-in for {@code tuneup train}: a shell script that reads the
 * same {@code --set}s, writes a run folder's metrics.csv epoch by epoch (val_acc = 1 - |dropout - 0.3|,
 * growing with the epoch) and fails for activation "boom". Fast, and no engine needed.
 */
class StudyRunnerTest {
    @TempDir
    Path dir;

    private static final Objective ACC = new Objective("val_acc", true);
    private static final SearchSpace SPACE = new SearchSpace(List.of(
            new SearchSpace.Param("model.head_dropout", new Distribution.Uniform(0, 1), null, Map.of()),
            new SearchSpace.Param("model.activation", new Distribution.Categorical(List.of("relu", "gelu", "boom")), null,
                    Map.of())));

    private List<String> fakeTrain() throws IOException {
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
                echo "$out" >> "$LOG"
                if [ "$act" = '"boom"' ]; then echo "error: boom is not an activation" >&2; exit 1; fi
                run="$out/20260101-000000-trial"; mkdir -p "$run"
                rows="epoch,val_acc"
                e=1
                while [ $e -le $epochs ]; do
                  v=$(awk -v p="$p" -v e="$e" -v n="$epochs" 'BEGIN { d = p - 0.3; if (d < 0) d = -d; print (1 - d) * (0.5 + 0.5 * e / n) }')
                  rows="$rows
                $((e - 1)),$v"
                  printf '%s\\n' "$rows" > "$run/.m.tmp" && mv "$run/.m.tmp" "$run/metrics.csv"
                  sleep 0.3
                  e=$((e + 1))
                done
                """.replace("\n                ", "\n"));
        return new ArrayList<>(List.of("sh", script.toString(), "train"));
    }

    private StudyRunner runner(Study st, Pruner pruner, int trials, List<String> cmd) {
        return new StudyRunner(st, SPACE, ACC, new RandomSampler(5), pruner, new StudyRunner.Budget(trials, null, 3, 1),
                dir.resolve("study"), cmd, (t, best) -> { });
    }

    private List<String> launches() throws IOException {
        return Files.readAllLines(Path.of(System.getProperty("fake.log")));
    }

    @Test
    void runsPrunesFailsAndResumesWithoutRerunningFinishedTrials() throws Exception {
        assumeSh();
        System.setProperty("fake.log", dir.resolve("launches.log").toString());
        List<String> cmd = fakeTrain();
        Path db = dir.resolve("study/study.db");
        List<Trial> first;
        try (Study st = Study.open(db)) {
            assertEquals(StudyRunner.Outcome.FINISHED, runner(st, new AshaPruner(ACC), 6, withLog(cmd)).run());
            first = st.trials();
        }
        assertEquals(6, first.size());
        for (Trial t : first) {
            boolean boom = t.params().get("model.activation").equals("boom");
            assertEquals(boom, t.state() == Trial.State.FAILED, t.toString());
            if (boom) {
                assertTrue(t.note().contains("exit code 1") && t.note().contains("boom is not an activation"), t.note());
            } else {
                double p = (Double) t.params().get("model.head_dropout");
                double expected = (1 - Math.abs(p - 0.3)) * (t.state() == Trial.State.COMPLETE ? 1 : (0.5 + 0.5 / 3));
                assertEquals(expected, t.value(), 1e-5, t.toString());
                assertEquals(t.state() == Trial.State.COMPLETE ? 3 : 1, t.epochs(), t.toString());
            }
        }
        assertTrue(first.stream().anyMatch(t -> t.state() == Trial.State.PRUNED), "ASHA pruned someone: " + first);
        assertEquals(6, launches().size());

        // A crash mid-trial: trial 6 is RUNNING with one epoch recorded when the parent dies.
        try (Study st = Study.open(db)) {
            Trial crashed = st.start(new RandomSampler(5).sample(SPACE, st.trials(), 6));
            st.report(crashed.number(), 1, 0.123);
        }
        try (Study st = Study.open(db)) {
            runner(st, new AshaPruner(ACC), 8, withLog(cmd)).run();
            List<Trial> after = st.trials();
            assertEquals(first, after.subList(0, 6), "finished trials are untouched");
            assertEquals(8, after.size());
            assertTrue(after.get(6).state().finished(), after.get(6).toString());
            assertTrue(!after.get(6).intermediate().contains(0.123), "the rerun started over: " + after.get(6));
        }
        List<String> all = launches();
        assertEquals(8, all.size(), "6 trials once, the interrupted one again, one new: " + all);
        assertTrue(all.get(6).endsWith("trial-0006") && all.get(7).endsWith("trial-0007"), all.toString());
    }

    @Test
    void timeLimitStopsRunningTrialsWhichRerunLater() throws Exception {
        assumeSh();
        System.setProperty("fake.log", dir.resolve("launches.log").toString());
        Path db = dir.resolve("study/study.db");
        try (Study st = Study.open(db)) {
            StudyRunner r = new StudyRunner(st, SPACE, ACC, new RandomSampler(1), Pruner.NONE,
                    new StudyRunner.Budget(5, java.time.Duration.ofMillis(500), 10, 1), dir.resolve("study"),
                    withLog(fakeTrain()), (t, best) -> { });
            assertEquals(StudyRunner.Outcome.TIME_LIMIT, r.run());
            assertEquals(Trial.State.RUNNING, st.trials().get(st.trials().size() - 1).state());
        }
    }

    @Test
    void runsTrialsSideBySide() throws Exception {
        assumeSh();
        System.setProperty("fake.log", dir.resolve("launches.log").toString());
        List<Integer> concurrent = new ArrayList<>();
        try (Study st = Study.open(dir.resolve("study/study.db"))) {
            StudyRunner r = new StudyRunner(st, SPACE, ACC, new RandomSampler(2), Pruner.NONE,
                    new StudyRunner.Budget(4, null, 3, 2), dir.resolve("study"), withLog(fakeTrain()), new StudyRunner.Listener() {
                        @Override
                        public void onStart(Trial trial, boolean rerun) {
                            concurrent.add((int) st.trials().stream().filter(t -> t.state() == Trial.State.RUNNING).count());
                        }

                        @Override
                        public void onEnd(Trial trial, Trial best) {
                        }
                    });
            assertEquals(StudyRunner.Outcome.FINISHED, r.run());
            assertEquals(4, st.trials().size());
            assertTrue(st.trials().stream().allMatch(t -> t.state().finished()), st.trials().toString());
        }
        assertEquals(2, concurrent.get(1), "the second trial started while the first ran: " + concurrent);
        assertEquals(4, launches().size());
    }

    private static List<String> withLog(List<String> cmd) {
        List<String> c = new ArrayList<>(List.of("env", "LOG=" + System.getProperty("fake.log")));
        c.addAll(cmd);
        return c;
    }

    private static void assumeSh() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh"))
                && Files.isExecutable(Path.of("/usr/bin/awk")), "needs /bin/sh and awk");
    }
}
