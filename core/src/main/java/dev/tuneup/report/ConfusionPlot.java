package dev.tuneup.report;

import dev.tuneup.evaluate.ConfusionMatrix;
import dev.tuneup.evaluate.Evaluation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A confusion matrix as a PNG heat map (plain Java2D, headless): true classes down the left, predicted
 * classes along the bottom, each cell shaded by the share of its true class (row-normalised, so rare
 * classes are as visible as common ones) and labelled with its count, or with that share when
 * {@code normalized}. Cells shrink with the class count; below {@link #MIN_TEXT_CELL} pixels the
 * numbers are left out and only the shading remains, and where a name is taller than a cell only every
 * few classes are named. Written atomically.
 */
public final class ConfusionPlot {
    /** Cells are at most this many pixels wide. */
    static final int MAX_CELL = 72;
    /** Cells smaller than this carry no number. */
    static final int MIN_TEXT_CELL = 22;
    /** The matrix aims at about this many pixels per side. */
    static final int TARGET_SIDE = 640;
    private static final int MARGIN = 24;
    private static final int BAR_WIDTH = 18;
    private static final Color LOW = new Color(247, 251, 255);
    private static final Color HIGH = new Color(8, 48, 107);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ConfusionPlot() {
    }

    /**
     * Draws the evaluation's confusion matrix to {@code png}.
     *
     * @param normalized label cells with the percentage of their true class instead of the count
     */
    public static void write(Path png, Evaluation e, boolean normalized) throws IOException {
        List<String> names = e.classes();
        int k = names.size();
        int cell = Math.max(4, Math.min(MAX_CELL, TARGET_SIDE / k));
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(14, cell / 2)));
        Font cellFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(14, cell / 3)));
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        Font axisFont = new Font(Font.SANS_SERIF, Font.BOLD, 13);

        FontMetrics lm = metrics(labelFont);
        int nameWidth = names.stream().mapToInt(lm::stringWidth).max().orElse(0);
        boolean vertical = nameWidth > cell - 4;
        int rowLabels = nameWidth + 8;
        int colLabels = vertical ? nameWidth + 8 : lm.getHeight() + 6;
        int left = MARGIN + metrics(axisFont).getHeight() + rowLabels;
        int top = MARGIN + 2 * metrics(titleFont).getHeight();
        int side = cell * k;
        int width = Math.max(left + side + 3 * MARGIN + BAR_WIDTH + metrics(labelFont).stringWidth("100%"), 480);
        int height = top + side + colLabels + metrics(axisFont).getHeight() + MARGIN;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(titleFont);
            g.drawString(String.format(Locale.ROOT, "Confusion matrix%s: n = %d, accuracy %.1f%%",
                    normalized ? " (% of true class)" : "", e.n(), 100 * e.accuracy()), MARGIN, MARGIN + g.getFontMetrics().getAscent());
            cells(g, e.confusion(), left, top, cell, normalized, cellFont);
            labels(g, names, left, top, cell, vertical, labelFont);
            axisTitles(g, axisFont, left, top, side, colLabels, height);
            colourBar(g, left + side + 2 * MARGIN, top, side, labelFont);
        } finally {
            g.dispose();
        }
        ImageGrid.writePng(image, png);
    }

    private static void cells(Graphics2D g, ConfusionMatrix m, int left, int top, int cell, boolean normalized,
                              Font font) {
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        for (int t = 0; t < m.size(); t++) {
            for (int p = 0; p < m.size(); p++) {
                double share = m.rowFraction(t, p);
                int x = left + p * cell;
                int y = top + t * cell;
                g.setColor(shade(share));
                g.fillRect(x, y, cell, cell);
                if (cell >= MIN_TEXT_CELL) {
                    String text = !normalized ? Integer.toString(m.count(t, p))
                            : m.count(t, p) > 0 && share < 0.005 ? "<1%" // not "0%" for a real confusion
                            : String.format(Locale.ROOT, "%.0f%%", 100 * share);
                    if (fm.stringWidth(text) <= cell - 2) {
                        g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                        g.drawString(text, x + (cell - fm.stringWidth(text)) / 2,
                                y + (cell - fm.getHeight()) / 2 + fm.getAscent());
                    }
                }
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, cell * m.size(), cell * m.size());
    }

    private static void labels(Graphics2D g, List<String> names, int left, int top, int cell, boolean vertical,
                               Font font) {
        g.setFont(font);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        int bottom = top + cell * names.size();
        // Where cells are smaller than a line of text, name every step-th class so the names stay legible.
        int step = Math.max(1, (int) Math.ceil(fm.getHeight() / (double) cell));
        for (int i = 0; i < names.size(); i += step) {
            String name = names.get(i);
            int w = fm.stringWidth(name);
            int middle = i * cell + cell / 2;
            g.drawString(name, left - 6 - w, top + middle - fm.getHeight() / 2 + fm.getAscent());
            if (vertical) {
                AffineTransform saved = g.getTransform();
                g.translate(left + middle + fm.getAscent() / 2 - 1, bottom + 6 + w);
                g.rotate(-Math.PI / 2);
                g.drawString(name, 0, 0);
                g.setTransform(saved);
            } else {
                g.drawString(name, left + middle - w / 2, bottom + 4 + fm.getAscent());
            }
        }
    }

    private static void axisTitles(Graphics2D g, Font font, int left, int top, int side, int colLabels, int height) {
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        String x = "predicted class";
        g.drawString(x, left + (side - fm.stringWidth(x)) / 2, top + side + colLabels + fm.getAscent());
        String y = "true class";
        AffineTransform saved = g.getTransform();
        g.translate(MARGIN + fm.getAscent(), top + (side + fm.stringWidth(y)) / 2);
        g.rotate(-Math.PI / 2);
        g.drawString(y, 0, 0);
        g.setTransform(saved);
    }

    /** A vertical scale from 0% (bottom) to 100% (top) of the true class. */
    private static void colourBar(Graphics2D g, int x, int top, int side, Font font) {
        for (int y = 0; y < side; y++) {
            g.setColor(shade(1 - y / (double) Math.max(1, side - 1)));
            g.fillRect(x, top + y, BAR_WIDTH, 1);
        }
        g.setColor(Color.GRAY);
        g.drawRect(x, top, BAR_WIDTH, side);
        g.setFont(font);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        g.drawString("100%", x + BAR_WIDTH + 4, top + fm.getAscent());
        g.drawString("0%", x + BAR_WIDTH + 4, top + side);
    }

    /** White to dark blue (matplotlib's "Blues" end points), linear in the share. */
    static Color shade(double share) {
        double s = Math.max(0, Math.min(1, share));
        return new Color((int) Math.round(LOW.getRed() + s * (HIGH.getRed() - LOW.getRed())),
                (int) Math.round(LOW.getGreen() + s * (HIGH.getGreen() - LOW.getGreen())),
                (int) Math.round(LOW.getBlue() + s * (HIGH.getBlue() - LOW.getBlue())));
    }

    private static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }
}
