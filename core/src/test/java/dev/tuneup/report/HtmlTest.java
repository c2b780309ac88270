package dev.tuneup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void escapesTheFiveCharactersAndNothingElse() {
        assertEquals("&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;é&lt;/b&gt;", Html.escape("<b a=\"1\" b='2'>&é</b>"));
        assertEquals("", Html.escape(null));
        assertEquals("per-class", Html.id("Per class"));
        assertEquals("finetune-summary", Html.id("finetune: Summary"));
    }

    @Test
    void everyBlockEscapesItsText() {
        String evil = "<img src=x onerror=alert(1)>";
        ReportPage page = new ReportPage(evil, evil, evil, List.of(new ReportPage.Section(evil, List.of(
                new ReportPage.Figures(Map.of(evil, evil)), new ReportPage.Picture(evil, new byte[] {1}),
                new ReportPage.Table(List.of(evil), List.of(List.of(evil))), new ReportPage.Text(evil),
                new ReportPage.Gallery(List.of(new ReportPage.GalleryItem(new byte[] {1}, evil, List.of(evil)))),
                new ReportPage.Verdict(false, List.of(evil)),
                new ReportPage.Chain(List.of(new ReportPage.Link(evil, evil, evil)))))));
        String html = HtmlReport.render(page);
        assertFalse(html.contains("<img src=x"), html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertEquals(2, html.split("<img ", -1).length - 1, "only the picture and the gallery tile are images");
    }
}
