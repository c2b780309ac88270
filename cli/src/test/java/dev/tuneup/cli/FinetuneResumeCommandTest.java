package dev.tuneup.cli;

import static dev.tuneup.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code tuneup finetune} process killed with SIGKILL in its second phase, then {@code tuneup
 * resume}: the final weights are those of an uninterrupted fine-tune, byte for byte. And SIGTERM in a
 * phase: a checkpoint, a stop, and how to resume.
 */
class FinetuneResumeCommandTest {
    @TempDir
    Path dir;

    /** A base trained on bands 0 and 1, in its run folder. */
    private Path base(Path data) throws IOException {
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(Bars.settings(data, dir.resolve("runs")));
        train.addAll(List.of("--set", "data.classes=[0, 1]", "--set", "training.epochs=1", "--set", "output.name=base"));
        CliRun t = run(train);
        assertEquals(0, t.code(), t.err());
        return Bars.newest(dir.resolve("runs"), "-base");
    }

    /** finetune on bands 2 and 3: one frozen epoch, then {@code epochs} with discriminative LRs; the LR finder picks the LR. */
    private List<String> finetune(Path data, Path base, int epochs, String name) {
        List<String> a = new ArrayList<>(List.of("finetune", "--base", base.toString()));
        a.addAll(Bars.settings(data, dir.resolve("runs")));
        a.addAll(List.of("--set", "data.classes=[2, 3]", "--set", "training.epochs=" + epochs, "--set",
                "training.checkpoint_every=1", "--set", "augment.train=hflip", "--set", "output.name=" + name));
        return a;
    }

    private Process start(List<String> args, String log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    /** Waits until the run named {@code name} has {@code n} checkpoints of its last phase (checkpoints/); returns it. */
    private Path inPhaseTwo(Process p, String name, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Path run = Files.isDirectory(dir.resolve("runs")) ? runs(name) : null;
            if (run != null && count(run.resolve("checkpoints")) >= n) {
                return run;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the fine-tune ended before its second phase could be stopped:\n"
                + Files.readString(dir.resolve(name + ".log")));
    }

    private Path runs(String name) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            return s.filter(f -> f.getFileName().toString().endsWith("-" + name)).findFirst().orElse(null);
        }
    }

    private static long count(Path ckpts) throws IOException {
        if (!Files.isDirectory(ckpts)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(ckpts)) {
            return s.filter(f -> f.getFileName().toString().startsWith("ckpt-")).count();
        }
    }

    private static String weights(Path run) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(run.resolve("bundle").resolve("weights.params"))));
    }

    @Test
    void killNineInPhaseTwoThenResumeGivesTheSameWeights() throws Exception {
        Path data = Bars.write(dir.resolve("bars"));
        Path base = base(data);
        CliRun full = run(finetune(data, base, 8, "full"));
        assertEquals(0, full.code(), full.err());
        assertTrue(full.out().contains("phase 2/2 unfrozen"), full.out());
        String uninterrupted = weights(Bars.newest(dir.resolve("runs"), "-full"));

        Process p = start(finetune(data, base, 8, "killed"), "killed.log");
        Path killed = inPhaseTwo(p, "killed", 2);
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(!Files.exists(killed.resolve("bundle")), "killed before the end");
        CliRun resumed = run(List.of("resume", killed.toString()));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("phases 1-1 of 2 finished; resuming phase 2"), resumed.out());
        assertTrue(resumed.out().contains("resumed at step "), resumed.out());
        assertEquals(uninterrupted, weights(killed), "bit-identical to the uninterrupted fine-tune");
        assertEquals(1 + 1 + 8, Files.readAllLines(killed.resolve("metrics.csv")).size(), "header, phase 1, phase 2");
        assertTrue(Files.readString(killed.resolve("run.json")).contains("\"status\" : \"finished\""));
    }

    @Test
    void sigtermInAPhaseCheckpointsStopsAndSaysHowToResume() throws Exception {
        Path data = Bars.write(dir.resolve("bars"));
        Path base = base(data);
        Process p = start(finetune(data, base, 400, "term"), "term.log");
        Path run = inPhaseTwo(p, "term", 1);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits after SIGTERM");
        String log = Files.readString(run.resolve("run.log"));
        assertTrue(log.contains("stopped by SIGTERM (checkpoint written; resume with tuneup resume " + run + ")"), log);
        dev.tuneup.train.Checkpoints.Loaded last = new dev.tuneup.train.Checkpoints(run.resolve("checkpoints"), 2)
                .loadLatest();
        assertTrue(last != null && last.warnings().isEmpty(), "an intact checkpoint from the SIGTERM");
        assertTrue(Files.readString(run.resolve("run.json")).contains("\"status\" : \"stopped\""),
                Files.readString(run.resolve("run.json")));
        assertTrue(!Files.exists(run.resolve("bundle")));
    }
}
