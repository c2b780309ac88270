package dev.tuneup.report;

import dev.tuneup.data.Image;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Images in a grid, each with its own caption lines under it: for label issues and top losses
 * ("given: cat", "suggested: dog 0.93"), under the image's id in grey. The first caption line is drawn in red.
 */
public final class TileGrid {
    /** One image, the id that finds it again ({@link #id}; null for none) and the lines under it. */
    public record Tile(Image image, String id, List<String> lines) {
        /** All lines drawn under the image: the id first, when there is one. */
        List<String> all() {
            return id == null ? lines : java.util.stream.Stream.concat(java.util.stream.Stream.of(id), lines.stream())
                    .toList();
        }
    }

    private static final int GAP = 6;
    private static final int LINE = 13;

    private TileGrid() {
    }

    /**
     * A caption line that finds the image again: its file name (the part after the last {@code /}), or
     * {@code #n} for image n of an IDX or CIFAR binary file, cut to 16 characters from the end; else its index.
     */
    public static String id(String source, int index) {
        if (source == null || source.isBlank()) {
            return "#" + index;
        }
        String name = source.substring(source.lastIndexOf('/') + 1);
        if (name.contains("#")) {
            name = name.substring(name.lastIndexOf('#'));
        }
        if (name.isEmpty()) {
            return "#" + index;
        }
        return name.length() <= 16 ? name : "…" + name.substring(name.length() - 15);
    }

    /** Draws {@code tiles} in rows of {@code columns}, each image enlarged to about {@code cell} pixels. */
    public static BufferedImage draw(String title, List<Tile> tiles, int columns, int cell) {
        if (tiles.isEmpty()) {
            throw new IllegalArgumentException("no tiles to draw");
        }
        int lines = tiles.stream().mapToInt(t -> t.all().size()).max().orElse(0);
        int scale = Math.max(1, cell / Math.max(tiles.get(0).image().height(), tiles.get(0).image().width()));
        int cw = Math.max(tiles.stream().mapToInt(t -> t.image().width()).max().orElse(1) * scale, 110);
        int ch = tiles.stream().mapToInt(t -> t.image().height()).max().orElse(1) * scale;
        int rows = (tiles.size() + columns - 1) / columns;
        int top = title == null ? 0 : 24;
        int width = GAP + columns * (cw + GAP);
        int height = top + GAP + rows * (ch + lines * LINE + 2 * GAP);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        if (title != null) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, GAP, 17);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < tiles.size(); i++) {
            int x0 = GAP + (i % columns) * (cw + GAP);
            int y0 = top + GAP + (i / columns) * (ch + lines * LINE + 2 * GAP);
            Image im = tiles.get(i).image();
            int xi = x0 + (cw - im.width() * scale) / 2;
            for (int y = 0; y < im.height() * scale; y++) {
                for (int x = 0; x < im.width() * scale; x++) {
                    int r = im.get(y / scale, x / scale, 0);
                    int gr = im.channels() == 3 ? im.get(y / scale, x / scale, 1) : r;
                    int b = im.channels() == 3 ? im.get(y / scale, x / scale, 2) : r;
                    out.setRGB(xi + x, y0 + y, (r << 16) | (gr << 8) | b);
                }
            }
            List<String> ls = tiles.get(i).all();
            int first = tiles.get(i).id() == null ? 0 : 1;
            for (int l = 0; l < ls.size(); l++) {
                g.setColor(l < first ? Color.GRAY : l == first ? new Color(180, 30, 30) : Color.DARK_GRAY);
                g.drawString(ls.get(l), x0, y0 + ch + LINE * (l + 1));
            }
        }
        g.dispose();
        return out;
    }

    public static void write(Path png, String title, List<Tile> tiles, int columns, int cell) throws IOException {
        ImageGrid.writePng(draw(title, tiles, columns, cell), png);
    }
}
