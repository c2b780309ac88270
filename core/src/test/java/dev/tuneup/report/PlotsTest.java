package dev.tuneup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.evaluate.Evaluation;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

/** Plots that used to mislead: what each one now says, read from the chart objects. */
class PlotsTest {
    /** A fine-tune's epochs restart at 1 in each phase; the curves run on one axis with a marker per phase. */
    @Test
    void fineTuneCurvesRunThroughThePhasesWithMarkers() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int phase = 1; phase <= 2; phase++) {
            for (int e = 1; e <= 3; e++) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("phase", phase);
                r.put("epoch", e);
                r.put("train_loss", 1.0 / e);
                r.put("train_acc", 0.5);
                r.put("val_loss", 1.0 / e);
                r.put("val_acc", 0.5);
                rows.add(r);
            }
        }
        CombinedDomainXYPlot both = (CombinedDomainXYPlot) Charts.curvesChart(rows).getPlot();
        XYPlot loss = (XYPlot) both.getSubplots().get(0);
        assertEquals(6, loss.getDataset().getItemCount(0), "six epochs, none drawn over another");
        assertEquals(6.0, loss.getDataset().getXValue(0, 5));
        assertEquals("epoch (all phases)", both.getDomainAxis().getLabel());
        List<String> labels = new ArrayList<>();
        for (Object m : loss.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND)) {
            labels.add(((Marker) m).getLabel() + "@" + ((ValueMarker) m).getValue());
        }
        assertEquals(List.of("phase 1@0.5", "phase 2@3.5"), labels);
    }

    /** Overconfident and underconfident gaps have their own opaque colour and legend entry. */
    @Test
    void reliabilityGapsAreNamedAndOpaque() {
        float[][] p = new float[8][];
        int[] y = new int[8];
        for (int i = 0; i < 4; i++) { // confidence 0.9, half right: overconfident
            p[i] = new float[] {0.9f, 0.1f};
            y[i] = i % 2;
        }
        for (int i = 4; i < 8; i++) { // confidence 0.6, all right: underconfident
            p[i] = new float[] {0.6f, 0.4f};
            y[i] = 0;
        }
        JFreeChart chart = ReliabilityPlot.chart(Evaluation.of(p, y, List.of("a", "b"), 5, 0, 1));
        XYPlot top = (XYPlot) ((CombinedDomainXYPlot) chart.getPlot()).getSubplots().get(0);
        LegendItemCollection legend = top.getLegendItems();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < legend.getItemCount(); i++) {
            LegendItem item = legend.get(i);
            names.add(item.getLabel());
            if (item.getFillPaint() instanceof Color c) {
                assertEquals(255, c.getAlpha(), item.getLabel() + " is opaque, so overlaps cannot make a third colour");
            }
        }
        assertTrue(names.contains("overconfident: mean confidence above accuracy"), names.toString());
        assertTrue(names.contains("underconfident: accuracy above mean confidence"), names.toString());
        assertEquals(1, top.getDataset(0).getItemCount(1), "one overconfident bin");
        assertEquals(1, top.getDataset(0).getItemCount(2), "one underconfident bin");
    }

    /** Galleries carry an id that finds the image again. */
    @Test
    void tilesAreCaptionedWithTheImageFile() {
        assertEquals("img_00042.jpg", TileGrid.id("/data/cifar10/test/cat/img_00042.jpg", 42));
        assertEquals("#17", TileGrid.id("/d/train-images-idx3-ubyte.gz#17", 17));
        assertEquals("#5", TileGrid.id(null, 5));
        assertEquals("…y_long_name.png", TileGrid.id("/x/a_very_very_long_name.png", 1));
    }
}
