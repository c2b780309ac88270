package dev.tuneup.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import dev.tuneup.report.ReportKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tuneup report} without a browser: kinds, escaping, self-containment, lineage, file mode. */
class ReportWorkflowTest {
    @TempDir
    Path tmp;

    @Test
    void eachFolderKindIsToldByItsFiles() throws Exception {
        ReportFixtures f = new ReportFixtures(tmp);
        Path base = f.train("run", null);
        Path ft = f.finetune(base);
        assertEquals(ReportKind.TRAIN, ReportKind.detect(base));
        assertEquals(ReportKind.FINETUNE, ReportKind.detect(ft));
        assertEquals(ReportKind.EVAL, ReportKind.detect(f.eval(ft)));
        assertEquals(ReportKind.ANALYZE, ReportKind.detect(f.analyze(ft)));
        assertEquals(ReportKind.LABEL_ISSUES, ReportKind.detect(f.labelIssues()));
        assertEquals(ReportKind.REPAIR, ReportKind.detect(f.repair(ft)));
        assertEquals(ReportKind.STUDY, ReportKind.detect(f.study()));
        assertEquals(ReportKind.QUICKSTART, ReportKind.detect(f.quickstart()));
        Files.createDirectories(tmp.resolve("empty"));
        TuneupException e = assertThrows(TuneupException.class, () -> ReportKind.detect(tmp.resolve("empty")));
        assertTrue(e.getMessage().contains("eval.json") && e.getMessage().contains("study.db"), e.getMessage());
    }

    @Test
    void textIsEscapedAndThePageNeedsNothingFromElsewhere() throws Exception {
        ReportFixtures f = new ReportFixtures(tmp);
        Path eval = f.eval(f.finetune(f.train("run", null)));
        ReportWorkflow.Result r = ReportWorkflow.run(new ReportWorkflow.Request(eval, null));
        assertEquals(eval.resolve("report.html"), r.file());
        String html = Files.readString(r.file());
        assertFalse(html.toLowerCase(java.util.Locale.ROOT).contains("<script"), "no script element, escaped or ours");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        Document doc = Jsoup.parse(html);
        assertTrue(doc.select("script, link, iframe, object").isEmpty());
        assertTrue(doc.select("td").stream().map(Element::text).anyMatch(ReportFixtures.SCRIPT_CLASS::equals),
                "the class name shows as text in the per-class table");
        List<Element> images = doc.select("img");
        assertTrue(images.size() >= 3, "confusion, reliability and corruptions");
        images.forEach(i -> assertTrue(i.attr("src").startsWith("data:image/png;base64,"), i.attr("src")));
        assertTrue(doc.select("[href], [src]").stream().noneMatch(el -> (el.attr("href") + el.attr("src"))
                .matches("(?i)^(https?:|//|file:).*")), "no link leaves the file");
        assertTrue(doc.select("meta[http-equiv=Content-Security-Policy]").attr("content").contains("default-src 'none'"));
    }

    @Test
    void lineageFollowsWhatTheFoldersRecord() throws Exception {
        ReportFixtures f = new ReportFixtures(tmp);
        Path base = f.train("base", null);
        Path ft = f.finetune(base);
        Path repair = f.repair(ft);
        Document doc = Jsoup.parse(Files.readString(ReportWorkflow.run(new ReportWorkflow.Request(repair, null)).file()));
        List<String> chain = doc.select("#lineage .link .k").eachText();
        assertEquals(List.of("train", "finetune", "repair", "accepted"), chain, doc.select("#lineage").text());
        assertTrue(doc.select("#lineage .link").get(0).text().endsWith(base.getFileName().toString()));
        assertEquals("ACCEPTED", doc.select("[data-verdict]").attr("data-verdict"));
    }

    @Test
    void lineageComesFromTheRunStoreRecordsWhereTheFoldersHaveThem() throws Exception {
        ReportFixtures f = new ReportFixtures(tmp, true);
        Path base = f.train("base", null);
        Path repair = f.repair(f.finetune(base));
        assertTrue(Files.isRegularFile(repair.resolve("run.json")));
        Document doc = Jsoup.parse(Files.readString(ReportWorkflow.run(new ReportWorkflow.Request(repair, null)).file()));
        assertEquals(List.of("train", "finetune", "repair", "accepted"), doc.select("#lineage .link .k").eachText());
        assertTrue(doc.select("#lineage .link").get(0).attr("title").contains("(finished: 4 epochs)"),
                doc.select("#lineage .link").get(0).attr("title"));
        assertEquals(ReportKind.REPAIR, ReportWorkflow.run(new ReportWorkflow.Request(repair, null)).kind());
    }

    @Test
    void theReportFollowsTheUmaskAndGoesWhereAsked() throws Exception {
        ReportFixtures f = new ReportFixtures(tmp);
        Path run = f.train("run", null);
        Path out = tmp.resolve("reports/run.html");
        ReportWorkflow.run(new ReportWorkflow.Request(run, out));
        Path plain = Files.createFile(tmp.resolve("plain.txt"));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(out), "like any new file: the umask decides");
    }
}
