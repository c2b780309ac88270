package dev.tuneup.report;

import dev.tuneup.data.Image;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG grid of images: one row per list, cells enlarged by a whole factor (nearest neighbour, so
 * pixels stay visible), optional caption per row drawn at its left. Written atomically.
 */
public final class ImageGrid {
    private static final int GAP = 4;
    private static final Color BACKGROUND = new Color(245, 245, 245);

    private ImageGrid() {
    }

    /**
     * @param rows     images per row (rows may differ in length; all images the same size is not required)
     * @param captions one caption per row, or null
     * @param scale    enlargement factor, at least 1
     */
    public static BufferedImage draw(List<List<Image>> rows, List<String> captions, int scale) {
        int cellH = 0;
        int cellW = 0;
        int cols = 0;
        for (List<Image> row : rows) {
            cols = Math.max(cols, row.size());
            for (Image im : row) {
                cellH = Math.max(cellH, im.height() * scale);
                cellW = Math.max(cellW, im.width() * scale);
            }
        }
        int captionW = captions == null ? 0 : 110;
        int width = captionW + cols * (cellW + GAP) + GAP;
        int height = rows.size() * (cellH + GAP) + GAP;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int r = 0; r < rows.size(); r++) {
            int y = GAP + r * (cellH + GAP);
            if (captions != null) {
                g.setColor(Color.DARK_GRAY);
                g.drawString(captions.get(r), 4, y + cellH / 2 + 4);
            }
            List<Image> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                paint(out, row.get(c), captionW + GAP + c * (cellW + GAP), y, scale);
            }
        }
        g.dispose();
        return out;
    }

    private static void paint(BufferedImage out, Image im, int x0, int y0, int scale) {
        for (int y = 0; y < im.height() * scale; y++) {
            for (int x = 0; x < im.width() * scale; x++) {
                int sy = y / scale;
                int sx = x / scale;
                int r = im.get(sy, sx, 0);
                int gr = im.channels() == 3 ? im.get(sy, sx, 1) : r;
                int b = im.channels() == 3 ? im.get(sy, sx, 2) : r;
                out.setRGB(x0 + x, y0 + y, (r << 16) | (gr << 8) | b);
            }
        }
    }

    /** Writes a PNG via a temporary file and an atomic move, so a reader never sees half a file. */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = dev.tuneup.TempFiles.file(parent, ".grid", ".png.tmp");
        try {
            ImageIO.write(image, "png", tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
