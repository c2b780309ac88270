package dev.tuneup.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runs.db: registration through RunDir, rebuilding from the folders, concurrent writers, a broken file. */
class RunStoreTest {
    @TempDir
    Path root;

    /** A finished train run named {@code name} under {@code root}, registered as a workflow would. */
    static RunDir register(Path root, String name) throws Exception {
        RunDir d = RunRecordTest.trainRun(root, name);
        d.begin(RunKind.TRAIN, List.of());
        d.end(RunStatus.FINISHED, "all epochs", Map.of(), List.of());
        return d;
    }

    private List<String> rows() {
        try (RunStore s = RunStore.open(root)) {
            return s.all().stream().map(RunRecordJson::write).toList();
        }
    }

    @Test
    void reindexRebuildsTheSameStoreFromTheFolders() throws Exception {
        RunDir a = register(root, "a");
        RunDir repair = RunDir.create(root, "a-repair");
        repair.begin(RunKind.REPAIR, List.of(Lineage.to(Lineage.SOURCE, a.path().resolve("bundle"))));
        RunDir cand = RunDir.create(repair.path(), "candidate");
        cand.begin(RunKind.FINETUNE, List.of(Lineage.to(Lineage.BASE, a.path().resolve("bundle"))));
        cand.end(RunStatus.DIVERGED, "non-finite loss", Map.of(), List.of());
        repair.end(RunStatus.FINISHED, "rejected", Map.of("accepted", 0.0), List.of());
        List<String> registered = rows();
        assertEquals(3, registered.size());
        assertTrue(registered.get(2).contains("\"status\":\"diverged\""), registered.get(2));

        Files.delete(root.resolve(RunStore.FILE));
        assertEquals(3, RunStore.rebuild(root));
        assertEquals(registered, rows());
        try (RunStore s = RunStore.open(root)) {
            assertEquals(3, s.reindex()); // again, over a full store: the same rows, none doubled
        }
        assertEquals(registered, rows());
    }

    @Test
    void aDiscardedRunLeavesTheStore() throws Exception {
        RunDir d = RunDir.create(root, "gone");
        d.begin(RunKind.TRAIN, List.of());
        assertEquals(1, rows().size());
        d.discard();
        d.end(RunStatus.FAILED, "no data", Map.of(), List.of());
        assertEquals(List.of(), rows());
    }

    @Test
    void twoThreadsRegisteringAtOnceLoseNothing() throws Exception {
        register(root, "first"); // the store exists before the race
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> done = new ArrayList<>();
        for (String t : List.of("x", "y")) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 15; i++) {
                    register(root, t + i);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(31, rows().size());
        assertIntact();
    }

    @Test
    void twoProcessesRegisteringAtOnceLoseNothing() throws Exception {
        register(root, "first");
        List<Process> ps = new ArrayList<>();
        for (String t : List.of("p", "q")) {
            ps.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), StoreWriter.class.getName(), root.toString(), t, "12")
                    .redirectErrorStream(true).redirectOutput(root.resolve(t + ".log").toFile()).start());
        }
        for (Process p : ps) {
            assertTrue(p.waitFor(180, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        }
        for (String t : List.of("p", "q")) {
            String log = Files.readString(root.resolve(t + ".log"));
            assertFalse(log.contains("warning"), log); // no writer gave up on a busy store
        }
        assertEquals(25, rows().size());
        assertIntact();
    }

    @Test
    void aDamagedStoreIsWarnedAboutOnceAndNeverStopsARun() throws Exception {
        Files.write(root.resolve(RunStore.FILE), "this is not a database, just text long enough to be read as a header"
                .repeat(20).getBytes(StandardCharsets.UTF_8));
        RunStore.resetWarning();
        PrintStream was = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        RunDir a;
        try {
            a = register(root, "a");
            register(root, "b");
        } finally {
            System.setErr(was);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, said.split("warning: run store", -1).length - 1, said);
        assertTrue(said.contains("tuneup runs reindex"), said);
        assertEquals(RunStatus.FINISHED, RunRecord.read(root, a.path()).status()); // the folder is complete
        assertThrows(TuneupException.class, () -> RunStore.open(root).all());
        assertEquals(2, RunStore.rebuild(root)); // replaced by one built from the folders
        assertEquals(2, rows().size());
    }

    private void assertIntact() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + root.resolve(RunStore.FILE));
             ResultSet r = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            assertTrue(r.next());
            assertEquals("ok", r.getString(1));
        }
    }
}
