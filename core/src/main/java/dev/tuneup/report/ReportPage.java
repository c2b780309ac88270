package dev.tuneup.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report shows, before it is HTML: a title, the kind of folder it describes, and sections of
 * blocks (headline numbers, pictures, tables, galleries, the gate's verdict, a lineage chain, text).
 * All text is plain: {@link HtmlReport} escapes it.
 */
public record ReportPage(String title, String kind, String source, List<Section> sections) {
    public ReportPage {
        sections = List.copyOf(sections);
    }

    /** A titled part of the page. */
    public record Section(String title, List<Block> blocks) {
        public Section {
            blocks = List.copyOf(blocks);
        }

        public static Section of(String title, Block... blocks) {
            return new Section(title, List.of(blocks));
        }
    }

    /** One thing a section shows. */
    public sealed interface Block permits Figures, Picture, Table, Text, Gallery, Verdict, Chain {
    }

    /** Headline numbers, name to formatted value, each shown large with {@code data-key} = its name. */
    public record Figures(Map<String, String> values) implements Block {
        public Figures {
            values = new LinkedHashMap<>(values);
        }
    }

    /** A PNG (the bytes, inlined as a data: URI) with a caption that is also its alt text. */
    public record Picture(String caption, byte[] png) implements Block {
    }

    /** A table; rows may be shorter than the header. */
    public record Table(List<String> header, List<List<String>> rows) implements Block {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(r -> (List<String>) new ArrayList<>(r)).toList();
        }
    }

    /** Preformatted text (a config, a gate's report, a summary). */
    public record Text(String text) implements Block {
    }

    /** Images each with its id and caption lines (labels, scores). */
    public record Gallery(List<GalleryItem> items) implements Block {
        public Gallery {
            items = List.copyOf(items);
        }
    }

    /** A gallery cell: the image's PNG, where it came from, and its lines ("given cat", "-> dog"). */
    public record GalleryItem(byte[] png, String id, List<String> lines) {
        public GalleryItem {
            lines = List.copyOf(lines);
        }
    }

    /** The regression gate's verdict and the reasons for it. */
    public record Verdict(boolean accepted, List<String> reasons) implements Block {
        public Verdict {
            reasons = List.copyOf(reasons);
        }
    }

    /** Lineage, oldest first: each link a kind ("base", "fine-tune", "repair") and the folder or bundle. */
    public record Chain(List<Link> links) implements Block {
        public Chain {
            links = List.copyOf(links);
        }
    }

    /** One step of a lineage chain. */
    public record Link(String kind, String name, String detail) {
    }
}
