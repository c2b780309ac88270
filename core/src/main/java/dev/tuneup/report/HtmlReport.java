package dev.tuneup.report;

import dev.tuneup.report.ReportPage.Block;
import dev.tuneup.report.ReportPage.Section;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders a {@link ReportPage} as one self-contained HTML file: styles inline, pictures as data: URIs,
 * no script, and a Content-Security-Policy that forbids loading anything from elsewhere, so the page
 * reads the same offline, attached to an e-mail or in an artefact store. Every text is escaped by
 * {@link Html#escape}.
 */
public final class HtmlReport {
    private static final String CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
    private static final String STYLE = """
            body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:0;color:#1d232a;\
            background:#f4f6f8}
            header{background:#1f3b57;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}
            header p{margin:0;opacity:.85;font-size:13px;word-break:break-all}
            nav{padding:8px 28px;background:#e3e9ef;font-size:13px}nav a{margin-right:14px;color:#1f3b57}
            main{padding:8px 28px 40px;max-width:1280px}
            section{background:#fff;border-radius:6px;padding:12px 18px;margin:16px 0;box-shadow:0 1px 2px #0002}
            h2{font-size:17px;margin:4px 0 10px}
            .figures{display:flex;flex-wrap:wrap;gap:12px}
            .figure{border:1px solid #d5dde5;border-radius:5px;padding:8px 14px;min-width:120px}
            .figure .v{font-size:22px;font-weight:600}.figure .k{font-size:12px;color:#56606b}
            img.chart{max-width:100%;height:auto;display:block;margin:6px 0}figure{margin:8px 0}
            figcaption{font-size:12px;color:#56606b}
            table{border-collapse:collapse;font-size:13px;margin:6px 0}
            td,th{border:1px solid #d5dde5;padding:3px 8px;text-align:left}th{background:#eef2f5}
            pre{background:#f7f9fa;border:1px solid #e1e6eb;padding:8px;font-size:12px;overflow:auto;max-height:420px}
            .gallery{display:flex;flex-wrap:wrap;gap:10px}
            .tile{width:112px;font-size:11px;line-height:1.3}.tile .id{color:#56606b;word-break:break-all}
            .tile img{width:96px;height:96px;image-rendering:pixelated;border:1px solid #ccd;display:block}
            .tile .l0{color:#b41e1e;font-weight:600}
            .verdict{font-size:20px;font-weight:700;padding:8px 12px;border-radius:5px;display:inline-block}
            .accepted{background:#dff3e4;color:#17602d}.rejected{background:#fbe3e1;color:#8f1d16}
            .chain{display:flex;flex-wrap:wrap;gap:6px;align-items:center}.chain .arrow{color:#56606b;font-size:18px}
            .chain .link{border:1px solid #b9c6d3;border-radius:5px;padding:5px 10px;background:#f7f9fb}
            .chain .k{font-size:11px;text-transform:uppercase;color:#56606b;display:block}
            """;

    private HtmlReport() {
    }

    /** The whole document. */
    public static String render(ReportPage page) {
        StringBuilder b = new StringBuilder(1 << 16);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"tuneup report\">\n")
                .append("<title>").append(Html.escape(page.title())).append("</title>\n<style>").append(STYLE)
                .append("</style></head>\n<body data-kind=\"").append(Html.escape(page.kind())).append("\">\n<header><h1>")
                .append(Html.escape(page.title())).append("</h1><p>").append(Html.escape(page.kind())).append(" report of ")
                .append(Html.escape(page.source())).append("</p></header>\n<nav>");
        for (Section s : page.sections()) {
            b.append("<a href=\"#").append(Html.id(s.title())).append("\">").append(Html.escape(s.title())).append("</a>");
        }
        b.append("</nav>\n<main>\n");
        for (Section s : page.sections()) {
            b.append("<section id=\"").append(Html.id(s.title())).append("\"><h2>").append(Html.escape(s.title()))
                    .append("</h2>\n");
            s.blocks().forEach(block -> Blocks.append(b, block));
            b.append("</section>\n");
        }
        return b.append("</main>\n</body></html>\n").toString();
    }

    /** Writes the page to {@code file} (temporary file, then an atomic move) and returns the file. */
    public static Path write(ReportPage page, Path file) throws IOException {
        return AtomicWrite.bytes(file, render(page).getBytes(StandardCharsets.UTF_8));
    }

    /** How each kind of block is written. */
    private static final class Blocks {
        static void append(StringBuilder b, Block block) {
            if (block instanceof ReportPage.Figures f) {
                b.append("<div class=\"figures\">");
                f.values().forEach((k, v) -> b.append("<div class=\"figure\" data-key=\"").append(Html.escape(k))
                        .append("\"><div class=\"v\">").append(Html.escape(v)).append("</div><div class=\"k\">")
                        .append(Html.escape(k)).append("</div></div>"));
                b.append("</div>\n");
            } else if (block instanceof ReportPage.Picture p) {
                b.append("<figure><img class=\"chart\" alt=\"").append(Html.escape(p.caption())).append("\" src=\"")
                        .append(Html.pngUri(p.png())).append("\"><figcaption>").append(Html.escape(p.caption()))
                        .append("</figcaption></figure>\n");
            } else if (block instanceof ReportPage.Table t) {
                table(b, t);
            } else if (block instanceof ReportPage.Text t) {
                b.append("<pre>").append(Html.escape(t.text())).append("</pre>\n");
            } else if (block instanceof ReportPage.Gallery g) {
                gallery(b, g);
            } else if (block instanceof ReportPage.Verdict v) {
                String word = v.accepted() ? "ACCEPTED" : "REJECTED";
                b.append("<div class=\"verdict ").append(word.toLowerCase(java.util.Locale.ROOT)).append("\" data-verdict=\"")
                        .append(word).append("\">").append(word).append("</div><ul>");
                v.reasons().forEach(r -> b.append("<li>").append(Html.escape(r)).append("</li>"));
                b.append("</ul>\n");
            } else if (block instanceof ReportPage.Chain c) {
                b.append("<div class=\"chain\">");
                for (int i = 0; i < c.links().size(); i++) {
                    ReportPage.Link l = c.links().get(i);
                    b.append(i == 0 ? "" : "<span class=\"arrow\">&rarr;</span>").append("<div class=\"link\" title=\"")
                            .append(Html.escape(l.detail())).append("\"><span class=\"k\">").append(Html.escape(l.kind()))
                            .append("</span>").append(Html.escape(l.name())).append("</div>");
                }
                b.append("</div>\n");
            }
        }

        private static void table(StringBuilder b, ReportPage.Table t) {
            b.append("<table><thead><tr>");
            t.header().forEach(h -> b.append("<th>").append(Html.escape(h)).append("</th>"));
            b.append("</tr></thead><tbody>");
            for (List<String> row : t.rows()) {
                b.append("<tr>");
                row.forEach(c -> b.append("<td>").append(Html.escape(c)).append("</td>"));
                b.append("</tr>");
            }
            b.append("</tbody></table>\n");
        }

        private static void gallery(StringBuilder b, ReportPage.Gallery g) {
            b.append("<div class=\"gallery\">");
            for (ReportPage.GalleryItem it : g.items()) {
                b.append("<div class=\"tile\"><img alt=\"").append(Html.escape(it.id())).append("\" src=\"")
                        .append(Html.pngUri(it.png())).append("\">");
                for (int i = 0; i < it.lines().size(); i++) {
                    b.append("<div class=\"l").append(i).append("\">").append(Html.escape(it.lines().get(i))).append("</div>");
                }
                b.append("<div class=\"id\">").append(Html.escape(it.id())).append("</div></div>");
            }
            b.append("</div>\n");
        }
    }
}
