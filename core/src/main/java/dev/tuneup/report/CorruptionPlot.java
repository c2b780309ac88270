package dev.tuneup.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** Accuracy per corruption as grouped bars, one bar per severity, with the clean accuracy as a line. */
public final class CorruptionPlot {
    private static final Color[] SEVERITY = {new Color(198, 219, 239), new Color(158, 202, 225), new Color(107, 174, 214),
        new Color(49, 130, 189), new Color(8, 81, 156)};

    private CorruptionPlot() {
    }

    /**
     * @param accuracy corruption name to (severity to accuracy), in drawing order
     */
    public static void write(Path png, String title, Map<String, Map<Integer, Double>> accuracy, double clean)
            throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        accuracy.forEach((c, bySev) -> bySev.forEach((s, a) -> data.addValue(a, "severity " + s, c)));
        JFreeChart chart = ChartFactory.createBarChart(title, null, "accuracy", data, PlotOrientation.VERTICAL, true,
                false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        plot.getRangeAxis().setRange(0, 1);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.02);
        for (int i = 0; i < data.getRowCount(); i++) {
            String key = (String) data.getRowKey(i);
            int s = Integer.parseInt(key.substring("severity ".length()));
            r.setSeriesPaint(i, SEVERITY[Math.max(0, Math.min(SEVERITY.length - 1, s - 1))]);
        }
        ValueMarker m = new ValueMarker(clean, new Color(214, 39, 40), new BasicStroke(2f));
        m.setLabel("clean " + String.format(java.util.Locale.ROOT, "%.3f", clean));
        m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
        m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(m);
        CategoryAxis x = plot.getDomainAxis();
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        Charts.write(png, chart, 1000, 560);
    }
}
