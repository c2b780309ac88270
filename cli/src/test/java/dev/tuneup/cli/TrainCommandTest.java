package dev.tuneup.cli;

import static dev.tuneup.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** tuneup train and resume through the real entry point, including a real kill -9 of a training process. */
class TrainCommandTest {
    @TempDir
    Path dir;

    /** train/ and test/ of 3 classes of 8x8 images: a bright bar in the top, middle or bottom rows. */
    private Path bars() throws IOException {
        Path root = dir.resolve("bars");
        SplittableRandom rng = new SplittableRandom(1);
        String[] classes = {"bottom", "middle", "top"};
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 3; c++) {
                Path folder = root.resolve(split).resolve(classes[c]);
                Files.createDirectories(folder);
                for (int i = 0; i < (split.equals("train") ? 40 : 10); i++) {
                    BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            boolean bar = (2 - c) == Math.min(2, y / 3);
                            im.getRaster().setSample(x, y, 0, (bar ? 170 : 40) + rng.nextInt(50));
                        }
                    }
                    ImageIO.write(im, "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        return root;
    }

    private List<String> args(Path data, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--set", "data.name=" + data, "--set", "data.channels=1",
                "--set", "model.conv_widths=[8]", "--set", "model.dense_widths=[16]", "--set", "training.batch_size=16",
                "--set", "training.workers=1", "--set", "output.dir=" + dir.resolve("runs"), "--set", "training.restore_best=false"));
        for (String m : more) {
            a.add("--set");
            a.add(m);
        }
        return a;
    }

    private List<Path> runs() throws IOException {
        if (!Files.isDirectory(dir.resolve("runs"))) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            return s.filter(Files::isDirectory).sorted().toList(); // run folders, not the store (runs.db)
        }
    }

    private static String newestWeights(Path run) throws Exception {
        Path ckpt;
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            ckpt = s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).max(Path::compareTo).orElseThrow();
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(ckpt.resolve("model.params"))));
    }

    @Test
    void trainsIntoARunFolder() throws IOException {
        CliRun r = run(args(bars(), "training.epochs=3"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("completed 3 epochs"), r.out());
        assertTrue(r.out().contains("test: loss"), r.out());
        Path run = runs().get(0);
        for (String f : List.of("config.yaml", "metrics.csv", "provenance.json", "run.log")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size(), "header and 3 epochs");
        assertTrue(Files.readString(run.resolve("provenance.json")).contains("train_data_sha256"));
        assertTrue(Files.readString(run.resolve("provenance.json")).contains("\"tuneup\" : \"" + dev.tuneup.Version.get()),
                "the real version, not null");
        assertFalse(dev.tuneup.Version.get().equals("unknown"));
        // One key style in every JSON file of the run, its checkpoints and bundles: snake_case.
        java.util.regex.Pattern camel = java.util.regex.Pattern.compile("\"[a-z0-9]+[A-Z][A-Za-z0-9]*\"\\s*:");
        try (var files = Files.walk(run)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".json")).toList()) {
                java.util.regex.Matcher m = camel.matcher(Files.readString(f));
                assertFalse(m.find(), f + " has a camelCase key: " + (m.hitEnd() ? "" : m.group()));
            }
        }
    }

    @Tag("reliability")
    @Test
    void resumeRefusesARunInUseAndOneWhoseCheckpointsAreAllDamaged() throws Exception {
        CliRun r = run(args(bars(), "training.epochs=1"));
        assertEquals(0, r.code(), r.err());
        Path run = runs().get(0);
        try (dev.tuneup.track.RunDir.Lock held = dev.tuneup.track.RunDir.open(run).lock()) {
            CliRun busy = run(List.of("resume", run.toString()));
            assertEquals(1, busy.code(), busy.err());
            assertTrue(busy.err().contains("is in use by another tuneup (pid "), busy.err());
        }
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            for (Path ckpt : s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).toList()) {
                Files.write(ckpt.resolve("model.params"), new byte[] {1});
            }
        }
        CliRun refused = run(List.of("resume", run.toString()));
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("every checkpoint in") && refused.err().contains("--restart"), refused.err());
        dev.tuneup.track.AtomicFolder.deleteTree(run.resolve("bundle")); // as if it had been killed before the end
        CliRun restarted = run(List.of("resume", "--restart", run.toString()));
        assertEquals(0, restarted.code(), restarted.err());
        assertTrue(restarted.out().contains("training again from step 0"), restarted.out());
    }

    @Test
    void configErrorsAreOneLineWithAFix() {
        CliRun r = run(List.of("train", "--set", "training.epocs=3"));
        assertEquals(2, r.code(), "a config that cannot run is a usage error");
        assertTrue(r.err().contains("did you mean training.epochs?"), r.err());
        assertTrue(r.err().contains("fix: "), r.err());
    }

    @Test
    void aRunThatCannotStartLeavesNoFolder() throws IOException {
        CliRun r = run(args(bars(), "schedule=cosine(lr=0.1,warmup=100000)"));
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("config schedule"), r.err());
        assertEquals(List.of(), runs(), "no half-made run folder");
    }

    @Test
    void killNineThenResumeGivesTheSameWeights() throws Exception {
        Path data = bars();
        CliRun full = run(args(data, "training.epochs=4", "output.name=full"));
        assertEquals(0, full.code(), full.err());
        String uninterrupted = newestWeights(runs().get(0));

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", Main.class.getName()));
        cmd.addAll(args(data, "training.epochs=4", "output.name=killed", "training.checkpoint_every=1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        Path killed = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()) {
            killed = runs().stream().filter(f -> f.getFileName().toString().endsWith("-killed")).findFirst().orElse(null);
            if (killed != null && Files.isDirectory(killed.resolve("checkpoints")) && count(killed.resolve("checkpoints")) >= 2
                    && Files.exists(killed.resolve("config.yaml"))) {
                Thread.sleep(150); // somewhere in the middle of the next steps
                break;
            }
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the training process finished before it could be killed: " + Files.readString(dir.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        p.waitFor(30, TimeUnit.SECONDS);
        CliRun resumed = run(List.of("resume", killed.toString()));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resumed at step"), resumed.out());
        assertEquals(uninterrupted, newestWeights(killed), "bit-identical to the uninterrupted run");
        assertEquals(5, Files.readAllLines(killed.resolve("metrics.csv")).size());
    }

    @Test
    void sigtermFinishesTheStepCheckpointsAndExits() throws Exception {
        Path data = bars();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", Main.class.getName()));
        cmd.addAll(args(data, "training.epochs=200", "output.name=term"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("term.log").toFile()).start();
        Path run = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()) {
            run = runs().stream().filter(f -> f.getFileName().toString().endsWith("-term")).findFirst().orElse(null);
            if (run != null && Files.isDirectory(run.resolve("checkpoints")) && count(run.resolve("checkpoints")) >= 1) {
                Thread.sleep(100);
                break;
            }
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), Files.readString(dir.resolve("term.log")));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits after SIGTERM");
        String log = Files.readString(run.resolve("run.log"));
        assertTrue(log.contains("stopped by SIGTERM"), log);
        dev.tuneup.train.Checkpoints.Loaded last = new dev.tuneup.train.Checkpoints(run.resolve("checkpoints"), 2).loadLatest();
        assertTrue(last != null && last.warnings().isEmpty(), "an intact checkpoint from the SIGTERM");
        assertTrue(log.contains("stopped by SIGTERM"));
    }

    private static long count(Path ckpts) throws IOException {
        try (Stream<Path> s = Files.list(ckpts)) {
            return s.filter(f -> f.getFileName().toString().startsWith("ckpt-")).count();
        }
    }

}
