package dev.tuneup.cli;

import static dev.tuneup.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tuneup report} through the real entry point. */
class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheReportOfARunFolderAndSaysWhere() throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("20261203-101500-run"));
        Files.writeString(runDir.resolve("metrics.csv"), "epoch,train_loss,train_acc,val_loss,val_acc\n1,0.9,0.6,1.0,0.55\n"
                + "2,0.5,0.8,0.7,0.75\n");
        Files.writeString(runDir.resolve("test.json"), "{\"loss\": 0.61, \"accuracy\": 0.7712, \"top5\": 1.0}");
        Path out = dir.resolve("r.html");
        CliRun r = run("report", runDir.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("train report: " + out, r.out().strip());
        String html = Files.readString(out);
        assertTrue(html.contains(">0.7712<") && html.contains("data:image/png;base64,"), "test accuracy and inline curves");
    }

    @Test
    void aFolderOfNoKnownKindFailsWithAFix() throws Exception {
        CliRun r = run("report", Files.createDirectories(dir.resolve("empty")).toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("holds none of the files a report reads") && r.err().contains("fix: "), r.err());
        CliRun help = run("report", "-h");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("Usage: tuneup report"), help.out());
    }
}
