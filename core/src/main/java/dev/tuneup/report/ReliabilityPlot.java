package dev.tuneup.report;

import dev.tuneup.evaluate.Bootstrap;
import dev.tuneup.evaluate.Calibration;
import dev.tuneup.evaluate.Evaluation;
import dev.tuneup.evaluate.ReliabilityBin;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The reliability diagram of an {@link Evaluation} as a PNG (JFreeChart, headless), after Guo et al.
 * 2017: above, one bar per confidence bin up to its accuracy, the gap to the bin's mean confidence
 * in opaque red where the model is overconfident (confidence above accuracy) and orange where it is
 * underconfident (the gap then lies inside the bar), each named in the legend, and the diagonal of
 * perfect calibration; below, how many examples fall in each bin.
 * The title carries ECE (with its bootstrap interval when there is one) and MCE. Empty bins draw
 * nothing. Written atomically, {@link Charts#WIDTH} x {@link #HEIGHT}.
 */
public final class ReliabilityPlot {
    public static final int HEIGHT = 760;
    private static final Color BAR = new Color(31, 119, 180);
    private static final Color OVER = new Color(214, 39, 40);
    private static final Color UNDER = new Color(255, 127, 14);
    private static final Color COUNT = new Color(127, 127, 127);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ReliabilityPlot() {
    }

    /** Draws the reliability diagram of {@code e} to {@code png}. */
    public static void write(Path png, Evaluation e) throws IOException {
        BufferedImage image = chart(e).createBufferedImage(Charts.WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB, null);
        ImageGrid.writePng(image, png);
    }

    /** The chart {@link #write} draws. */
    static JFreeChart chart(Evaluation e) {
        Calibration cal = e.calibration();
        XYIntervalSeries accuracy = new XYIntervalSeries("accuracy");
        XYIntervalSeries over = new XYIntervalSeries("overconfident: mean confidence above accuracy");
        XYIntervalSeries under = new XYIntervalSeries("underconfident: accuracy above mean confidence");
        XYIntervalSeries counts = new XYIntervalSeries("examples");
        for (ReliabilityBin b : cal.bins()) {
            double mid = (b.lower() + b.upper()) / 2;
            if (b.count() == 0) {
                continue;
            }
            accuracy.add(mid, b.lower(), b.upper(), b.accuracy(), 0, b.accuracy());
            if (b.confidence() > b.accuracy()) {
                over.add(mid, b.lower(), b.upper(), b.confidence(), b.accuracy(), b.confidence());
            } else if (b.accuracy() > b.confidence()) {
                under.add(mid, b.lower(), b.upper(), b.confidence(), b.confidence(), b.accuracy());
            }
            counts.add(mid, b.lower(), b.upper(), b.count(), 0, b.count());
        }
        XYIntervalSeriesCollection bars = new XYIntervalSeriesCollection();
        bars.addSeries(accuracy);
        bars.addSeries(over);
        bars.addSeries(under);

        NumberAxis accAxis = new NumberAxis("accuracy");
        accAxis.setRange(0, 1);
        XYPlot top = new XYPlot(bars, null, accAxis, barRenderer(BAR, OVER, UNDER));
        XYSeries diagonal = new XYSeries("perfect calibration");
        diagonal.add(0, 0);
        diagonal.add(1, 1);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, Color.DARK_GRAY);
        line.setSeriesStroke(0, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        top.setDataset(1, new XYSeriesCollection(diagonal));
        top.setRenderer(1, line);
        // Bars first, then the gap over them, then the diagonal on top (JFreeChart's default is the reverse).
        top.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        top.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
        style(top);

        XYIntervalSeriesCollection countData = new XYIntervalSeriesCollection();
        countData.addSeries(counts);
        NumberAxis countAxis = new NumberAxis("examples");
        countAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot bottom = new XYPlot(countData, null, countAxis, barRenderer(COUNT));
        style(bottom);

        NumberAxis confidence = new NumberAxis("confidence (max probability)");
        confidence.setRange(0, 1);
        CombinedDomainXYPlot both = new CombinedDomainXYPlot(confidence);
        both.setGap(12);
        both.add(top, 3);
        both.add(bottom, 1);
        JFreeChart chart = new JFreeChart(title(e), JFreeChart.DEFAULT_TITLE_FONT, both, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    static String title(Evaluation e) {
        Calibration cal = e.calibration();
        Bootstrap b = e.bootstrap();
        String ci = b.ece().present() ? String.format(Locale.ROOT, " (%.0f%% CI %.3f-%.3f)", 100 * b.level(),
                b.ece().low(), b.ece().high()) : "";
        return String.format(Locale.ROOT, "Reliability: ECE %.3f%s, MCE %.3f, %d bins, n = %d", cal.ece(), ci,
                cal.mce(), cal.bins().size(), e.n());
    }

    private static XYBarRenderer barRenderer(Color... colors) {
        XYBarRenderer r = new XYBarRenderer();
        r.setUseYInterval(true);
        r.setShadowVisible(false);
        r.setBarPainter(new StandardXYBarPainter());
        r.setDrawBarOutline(true);
        for (int i = 0; i < colors.length; i++) {
            r.setSeriesPaint(i, colors[i]);
            r.setSeriesOutlinePaint(i, Color.WHITE);
        }
        return r;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
}
