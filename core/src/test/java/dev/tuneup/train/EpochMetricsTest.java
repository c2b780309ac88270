package dev.tuneup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Epoch records survive the checkpoint's JSON (where NaN is written as text) as themselves. */
class EpochMetricsTest {
    @Test
    void rowsReadBackFromJsonAreTheSameRecord() throws Exception {
        EpochMetrics m = new EpochMetrics(2, 0.5, 0.75, Double.NaN, Double.NaN, Double.NaN, 1e-3, 812.5, 0.02, 3);
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> back = json.readValue(json.writeValueAsBytes(m.row()), new TypeReference<>() { });
        assertEquals("NaN", back.get("val_loss"), "Jackson's default writes NaN as a string");
        assertEquals(m, EpochMetrics.of(back));
        assertEquals(List.of(m.row()), EpochMetrics.rows(List.of(EpochMetrics.of(back))));
    }
}
