package dev.tuneup.report;

import dev.tuneup.TuneupException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Charts as PNG files (JFreeChart, headless): a general x/y line chart with optional log x-axis and
 * labelled vertical markers (LR finder), a run's training curves (loss and accuracy per epoch), and a
 * scatter chart and a horizontal bar chart (a tuning study's objective and key importance).
 * Non-finite points are left out of a line; a series with no finite point at all is an error, so a
 * chart is never silently blank. Files are written atomically.
 */
public final class Charts {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 540;
    /** Height of {@link #trainingCurves}: two panels stacked. */
    public static final int CURVES_HEIGHT = 760;

    /** Line colours (matplotlib's tab10 order), so train/val are blue/orange in every chart. */
    private static final Color[] LINE_COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127)};
    private static final Color[] MARKER_COLORS = {new Color(214, 39, 40), new Color(44, 160, 44), new Color(148, 103, 189),
        new Color(140, 86, 75)};

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** A labelled vertical line at {@code x}, e.g. a suggested learning rate. */
    public record Marker(double x, String label) {
    }

    private Charts() {
    }

    /**
     * Draws one line per series and writes it to {@code png} ({@link #WIDTH} x {@link #HEIGHT}).
     *
     * @param series  name to {@code {xs, ys}} (same length); drawn in the map's order
     * @param markers vertical lines, may be empty
     * @throws TuneupException for empty, ragged or all-non-finite series, or x &le; 0 on a log axis
     */
    public static void lineChart(Path png, String title, String xLabel, String yLabel, boolean logX,
                                 Map<String, double[][]> series, List<Marker> markers) throws IOException {
        if (series == null || series.isEmpty()) {
            throw new TuneupException("chart '" + title + "' has no series", "pass at least one name -> {xs, ys}");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            data.addSeries(toSeries(title, e.getKey(), e.getValue(), logX));
        }
        ValueAxis x = logX ? logAxis(xLabel) : new NumberAxis(xLabel);
        XYPlot plot = plot(data, x, yLabel);
        for (int i = 0; i < (markers == null ? 0 : markers.size()); i++) {
            plot.addDomainMarker(marker(title, markers.get(i), logX, MARKER_COLORS[i % MARKER_COLORS.length], i));
        }
        write(png, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), WIDTH, HEIGHT);
    }

    /**
     * Points (no lines) for each series in {@code points}, then lines for each in {@code lines} (e.g.
     * a best-so-far curve), written {@link #WIDTH} x {@link #HEIGHT}. Series as in {@link #lineChart};
     * an empty map adds nothing, but there must be at least one series in all.
     */
    public static void scatterChart(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> points,
                                    Map<String, double[][]> lines) throws IOException {
        if (points.isEmpty() && lines.isEmpty()) {
            throw new TuneupException("chart '" + title + "' has no series", "pass at least one name -> {xs, ys}");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        points.forEach((name, xy) -> data.addSeries(toSeries(title, name, xy, false)));
        lines.forEach((name, xy) -> data.addSeries(toSeries(title, name, xy, false)));
        NumberAxis x = new NumberAxis(xLabel);
        boolean whole = java.util.stream.Stream.concat(points.values().stream(), lines.values().stream())
                .flatMapToDouble(xy -> java.util.Arrays.stream(xy[0])).allMatch(v -> v == Math.rint(v));
        if (whole) {
            x.setStandardTickUnits(NumberAxis.createIntegerTickUnits()); // trial numbers, epochs
        }
        XYPlot plot = plot(data, x, yLabel);
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            boolean point = i < points.size();
            r.setSeriesLinesVisible(i, !point);
            r.setSeriesShapesVisible(i, point || data.getItemCount(i) == 1);
        }
        write(png, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), WIDTH, HEIGHT);
    }

    /** Horizontal bars, one per entry in the map's order, written {@link #WIDTH} x {@link #HEIGHT}. */
    public static void barChart(Path png, String title, String valueLabel, Map<String, Double> bars) throws IOException {
        if (bars.isEmpty()) {
            throw new TuneupException("chart '" + title + "' has no bars", "pass at least one name -> value");
        }
        org.jfree.data.category.DefaultCategoryDataset data = new org.jfree.data.category.DefaultCategoryDataset();
        bars.forEach((name, v) -> data.addValue(v, valueLabel, name));
        JFreeChart chart = org.jfree.chart.ChartFactory.createBarChart(title, null, valueLabel, data,
                org.jfree.chart.plot.PlotOrientation.HORIZONTAL, false, false, false);
        org.jfree.chart.plot.CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        org.jfree.chart.renderer.category.BarRenderer r = (org.jfree.chart.renderer.category.BarRenderer) plot.getRenderer();
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        r.setSeriesPaint(0, LINE_COLORS[0]);
        r.setShadowVisible(false);
        write(png, chart, WIDTH, HEIGHT);
    }

    /**
     * Loss (train_loss, val_loss) above accuracy (train_acc, val_acc) against the epoch, from a run's
     * metrics rows ({@code EpochMetrics.row()} keys); validation lines are left out when they are all
     * NaN (no validation set). Rows with a {@code phase} key (a fine-tune, whose epochs count from 1 in each
     * phase) are drawn on one epoch axis counting through all phases, with a marker where each phase starts.
     * Writes {@link #WIDTH} x {@link #CURVES_HEIGHT}.
     */
    public static void trainingCurves(Path png, List<Map<String, Object>> history) throws IOException {
        write(png, curvesChart(history), WIDTH, CURVES_HEIGHT);
    }

    /** {@link #trainingCurves(Path, List)} as PNG bytes, for a report that inlines its pictures. */
    public static byte[] trainingCurves(List<Map<String, Object>> history) throws IOException {
        BufferedImage image = curvesChart(history).createBufferedImage(WIDTH, CURVES_HEIGHT, BufferedImage.TYPE_INT_RGB,
                null);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    /** The chart {@link #trainingCurves} draws. */
    static JFreeChart curvesChart(List<Map<String, Object>> history) {
        if (history == null || history.isEmpty()) {
            throw new TuneupException("no epochs to chart", "train at least one epoch first");
        }
        boolean phased = history.get(0).containsKey("phase");
        double[] epochs = phased ? java.util.stream.IntStream.rangeClosed(1, history.size()).asDoubleStream().toArray()
                : column(history, "epoch");
        XYPlot loss = curves(history, epochs, "loss", "train_loss", "val_loss");
        XYPlot acc = curves(history, epochs, "accuracy", "train_acc", "val_acc");
        if (phased) {
            double[] phase = column(history, "phase");
            for (int i = 0; i < phase.length; i++) {
                if (i == 0 || phase[i] != phase[i - 1]) {
                    Marker m = new Marker(epochs[i] - 0.5, "phase " + (int) phase[i]);
                    loss.addDomainMarker(marker("training curves", m, false, MARKER_COLORS[2], 0));
                    acc.addDomainMarker(marker("training curves", m, false, MARKER_COLORS[2], 0));
                }
            }
        }
        NumberAxis epochAxis = new NumberAxis(phased ? "epoch (all phases)" : "epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot both = new CombinedDomainXYPlot(epochAxis);
        both.setGap(12);
        both.add(loss, 1);
        both.add(acc, 1);
        JFreeChart chart = new JFreeChart("Training curves", JFreeChart.DEFAULT_TITLE_FONT, both, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static XYPlot curves(List<Map<String, Object>> history, double[] epochs, String yLabel, String train,
                                 String val) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(toSeries("training curves", train, new double[][] {epochs, column(history, train)}, false));
        double[] v = column(history, val);
        if (java.util.Arrays.stream(v).anyMatch(Double::isFinite)) {
            data.addSeries(toSeries("training curves", val, new double[][] {epochs, v}, false));
        }
        return plot(data, null, yLabel);
    }

    /** A metrics column as doubles; a missing key or a non-number is an error. */
    private static double[] column(List<Map<String, Object>> history, String key) {
        double[] out = new double[history.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = history.get(i).get(key);
            if (!(v instanceof Number n)) {
                throw new TuneupException("metrics row " + i + " has " + (v == null ? "no '" + key + "'" : "'" + key
                        + "' = " + v + ", not a number"), "pass the rows of TrainingSession.history() or metrics.csv");
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    private static XYSeries toSeries(String chart, String name, double[][] xy, boolean logX) {
        if (xy == null || xy.length != 2 || xy[0] == null || xy[1] == null) {
            throw new TuneupException("series '" + name + "' of chart '" + chart + "' is not {xs, ys}",
                    "pass two arrays: the x values and the y values");
        }
        if (xy[0].length != xy[1].length) {
            throw new TuneupException("series '" + name + "' of chart '" + chart + "' has " + xy[0].length
                    + " x values and " + xy[1].length + " y values", "pass one y per x");
        }
        XYSeries s = new XYSeries(name, false, true);
        for (int i = 0; i < xy[0].length; i++) {
            double x = xy[0][i];
            double y = xy[1][i];
            if (logX && x <= 0) {
                throw new TuneupException("series '" + name + "' of chart '" + chart + "' has x = " + x
                        + " on a log axis", "use positive x values or a linear axis");
            }
            if (Double.isFinite(x) && Double.isFinite(y)) {
                s.add(x, y);
            }
        }
        if (s.getItemCount() == 0) {
            throw new TuneupException("series '" + name + "' of chart '" + chart + "' has no finite point ("
                    + xy[0].length + " points, all NaN or infinite)", "leave the series out or check where its values come from");
        }
        return s;
    }

    private static XYPlot plot(XYSeriesCollection data, ValueAxis x, String yLabel) {
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesPaint(i, LINE_COLORS[i % LINE_COLORS.length]);
            // A single point draws no line: show it as a dot.
            r.setSeriesShapesVisible(i, data.getItemCount(i) == 1);
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static LogAxis logAxis(String label) {
        LogAxis x = new LogAxis(label);
        x.setBase(10);
        x.setSmallestValue(1e-300);
        // Ticks at whole decades (the unit is in log10 space), labelled 1E-7, 1E-6, ...
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setNumberFormatOverride(new java.text.DecimalFormat("0E0"));
        return x;
    }

    private static ValueMarker marker(String chart, Marker m, boolean logX, Color color, int index) {
        if (m == null || !Double.isFinite(m.x()) || (logX && m.x() <= 0)) {
            throw new TuneupException("marker " + m + " of chart '" + chart + "' is not a finite"
                    + (logX ? " positive" : "") + " x value", "leave the marker out");
        }
        ValueMarker v = new ValueMarker(m.x(), color, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                10f, new float[] {6f, 4f}, 0f));
        v.setLabel(m.label());
        v.setLabelPaint(color);
        v.setLabelBackgroundColor(new Color(255, 255, 255, 210));
        v.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        v.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        v.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        v.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(4 + 16 * index, 4, 4, 4));
        return v;
    }

    static void write(Path png, JFreeChart chart, int width, int height) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        BufferedImage image = chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
        ImageGrid.writePng(image, png);
    }
}
