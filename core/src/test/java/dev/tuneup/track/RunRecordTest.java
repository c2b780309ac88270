package dev.tuneup.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run folders as each workflow leaves them, read back into records. */
class RunRecordTest {
    @TempDir
    Path root;

    /** A train run's folder: config, two epochs, a test score and a bundle. */
    static RunDir trainRun(Path root, String name) throws Exception {
        RunDir d = RunDir.create(root, name);
        d.write(RunDir.CONFIG, "training:\n  lr: 0.1\n  epochs: 2\nmodel:\n  conv_widths: [8, 16]\n");
        d.write("metrics.csv", "epoch,train_loss,train_acc,val_loss,val_acc,lr\n0,1.0,0.5,0.9,0.6,0.1\n"
                + "1,0.5,0.8,0.7,0.75,0.05\n");
        d.write("test.json", "{\"loss\": 0.8, \"accuracy\": 0.7, \"top5\": 1.0}");
        Files.createDirectories(d.path().resolve("bundle"));
        return d;
    }

    @Test
    void aTrainRunIsRunningWhileItHoldsItsFolderThenFinished() throws Exception {
        RunDir d = trainRun(root, "run");
        d.begin(RunKind.TRAIN, List.of());
        RunRecord running = RunRecord.read(root, d.path());
        assertEquals(RunStatus.RUNNING, running.status());
        assertEquals(d.path().getFileName().toString(), running.id());
        d.end(RunStatus.FINISHED, "all 2 epochs", Map.of(), List.of());
        RunRecord r = RunRecord.read(root, d.path());
        assertEquals(RunKind.TRAIN, r.kind());
        assertEquals(RunStatus.FINISHED, r.status());
        assertEquals("all 2 epochs", r.detail());
        assertEquals("0.1", r.config().get("training.lr"));
        assertEquals("[8, 16]", r.config().get("model.conv_widths"));
        assertEquals(0.75, r.metrics().get("val_acc"));
        assertEquals(0.75, r.metrics().get("best_val_acc"));
        assertEquals(2.0, r.metrics().get("epochs"));
        assertEquals(0.7, r.metrics().get("test_accuracy"));
        assertTrue(r.artefacts().containsAll(List.of("bundle/", "config.yaml", "metrics.csv", "run.json")), "" + r.artefacts());
        assertTrue(r.ended() != null && !r.created().isAfter(r.ended()));
        assertNull(r.parent());
    }

    @Test
    void aFinetuneNamesItsBaseRunAndARepairCandidateItsRepair() throws Exception {
        RunDir base = trainRun(root, "base");
        base.begin(RunKind.TRAIN, List.of());
        base.end(RunStatus.FINISHED, "", Map.of(), List.of());
        RunDir repair = RunDir.create(root, "base-repair");
        repair.begin(RunKind.REPAIR, List.of(Lineage.to(Lineage.SOURCE, base.path().resolve("bundle"))));
        RunDir cand = RunDir.create(repair.path(), "candidate");
        cand.begin(RunKind.FINETUNE, List.of(Lineage.to(Lineage.BASE, base.path().resolve("bundle"))));
        cand.end(RunStatus.FINISHED, "", Map.of(), List.of());
        repair.end(RunStatus.FINISHED, "accepted", Map.of("accepted", 1.0),
                List.of(Lineage.to(Lineage.ACCEPTED, cand.path().resolve("bundle"))));

        String baseId = base.path().getFileName().toString();
        String repairId = repair.path().getFileName().toString();
        RunRecord c = RunRecord.read(root, cand.path());
        assertEquals(repairId + "/" + cand.path().getFileName(), c.id());
        assertEquals(c.id(), RunRecord.read(cand.path()).id()); // the root found from the folder alone
        assertEquals(RunKind.FINETUNE, c.kind());
        assertEquals(baseId, c.parent());
        assertEquals(List.of(Lineage.BASE, Lineage.PART_OF), c.lineage().stream().map(Lineage::relation).toList());
        assertEquals(repairId, c.lineage().get(1).run());

        RunRecord r = RunRecord.read(root, repair.path());
        assertEquals(baseId, r.parent());
        assertEquals(c.id(), r.lineage().get(1).run()); // the accepted bundle is the candidate's
        assertEquals(1.0, r.metrics().get("accepted"));
        assertEquals(List.of(base.path(), repair.path(), cand.path()), RunReader.find(root));
    }

    @Test
    void aRunWhoseProcessDiedIsInterruptedNotRunning() throws Exception {
        RunDir d = trainRun(root, "run");
        // run.json says running, but no process holds the lock: the process was killed
        d.write("run.json", "{\"kind\":\"train\",\"status\":\"running\",\"started\":\"2026-12-03T09:00:00Z\","
                + "\"lineage\":[],\"metrics\":{}}");
        RunRecord r = RunRecord.read(root, d.path());
        assertEquals(RunStatus.INTERRUPTED, r.status());
        assertEquals("2026-12-03T09:00:00Z", r.created().toString());
    }

    @Test
    void foldersWrittenBeforeRunJsonAreRecognisedByWhatTheyHold() throws Exception {
        RunDir eval = RunDir.create(root, "eval");
        eval.write("eval.json", "{\"test\": {\"accuracy\": 0.81, \"nll\": 0.5, \"calibration\": {\"ece\": 0.03}},"
                + " \"mean_corruption_accuracy\": 0.6}");
        RunDir ft = RunDir.create(root, "ft");
        ft.write(RunDir.CONFIG, "finetune:\n  base: " + root.resolve("elsewhere/bundle") + "\n");
        ft.write("metrics.csv", "phase,epoch,train_loss,val_acc\n1,0,1.0,0.5\n2,0,0.8,0.6\n");
        RunDir broken = RunDir.create(root, "run");
        broken.write(RunDir.CONFIG, "training: {}\n");
        Files.createDirectories(broken.path().resolve("checkpoints"));

        RunRecord e = RunRecord.read(root, eval.path());
        assertEquals(RunKind.EVAL, e.kind());
        assertEquals(RunStatus.FINISHED, e.status());
        assertEquals(0.81, e.metrics().get("accuracy"));
        assertEquals(0.03, e.metrics().get("ece"));
        RunRecord f = RunRecord.read(root, ft.path());
        assertEquals(RunKind.FINETUNE, f.kind());
        assertEquals(RunStatus.FAILED, f.status()); // no bundle, no checkpoints
        assertEquals(2.0, f.metrics().get("epochs"));
        assertEquals(Lineage.BASE, f.lineage().get(0).relation());
        assertNull(f.parent()); // the base is outside the store
        assertEquals(RunStatus.INTERRUPTED, RunRecord.read(root, broken.path()).status());
    }

    @Test
    void everyKindRoundTripsThroughRunJsonAndOlderFoldersByTheirFiles() throws Exception {
        for (RunKind k : RunKind.values()) {
            RunDir d = RunDir.create(root, "k-" + k.id());
            d.begin(k, List.of());
            d.end(RunStatus.FINISHED, "", Map.of(), List.of());
            assertEquals(k, RunRecord.read(root, d.path()).kind(), k.id());
            assertEquals(k, RunKind.of(k.id()));
        }
        Map<String, RunKind> legacy = Map.of("label-issues.csv", RunKind.LABEL_ISSUES, "study.db", RunKind.TUNE,
                "analysis.json", RunKind.ANALYZE);
        for (Map.Entry<String, RunKind> e : legacy.entrySet()) {
            RunDir d = RunDir.create(root, "old");
            d.write(RunDir.CONFIG, "training: {}\n");
            d.write(e.getKey(), "{}");
            RunRecord r = RunRecord.read(root, d.path());
            assertEquals(e.getValue(), r.kind(), e.getKey());
            assertEquals(e.getValue() == RunKind.TUNE ? RunStatus.INTERRUPTED : RunStatus.FINISHED, r.status(), e.getKey());
        }
        RunDir lr = RunDir.create(root, "run-lr-find");
        lr.write(RunDir.CONFIG, "training: {}\n");
        assertEquals(RunKind.LR_FIND, RunRecord.read(root, lr.path()).kind());
        RunDir repair = RunDir.create(root, "run-repair");
        repair.write(RunDir.CONFIG, "training: {}\n");
        repair.write("gate.txt", "Verdict: accepted\n");
        RunRecord r = RunRecord.read(root, repair.path());
        assertEquals(RunKind.REPAIR, r.kind());
        assertEquals(RunStatus.FINISHED, r.status());
    }

    @Test
    void damagedFilesAreLeftOutNotThrown() throws Exception {
        RunDir d = RunDir.create(root, "run");
        d.write(RunDir.CONFIG, "training: [unclosed\n");
        d.write("run.json", "{not json");
        d.write("test.json", "[1,");
        RunRecord r = RunRecord.read(root, d.path());
        assertTrue(r.config().isEmpty());
        assertTrue(r.metrics().isEmpty());
        assertEquals(RunKind.TRAIN, r.kind());
    }
}
