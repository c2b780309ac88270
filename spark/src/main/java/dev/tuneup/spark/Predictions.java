package dev.tuneup.spark;

import dev.tuneup.bundle.Predictor;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The predictions table: one row per (pass, image). {@code index} is the image's position in the
 * evaluated set (the order of a single-machine load), {@code source} its file, {@code variant} the pass
 * ("clean" or "corruption:severity"), {@code probability} the predicted class's probability at the
 * bundle's temperature, {@code logits} the raw scores in the bundle's class order (in CSV, one string of
 * space-separated floats, each printed so it reads back to the same float).
 */
final class Predictions {
    private Predictions() {
    }

    static StructType schema(boolean csv) {
        return new StructType(new StructField[] {
            DataTypes.createStructField("variant", DataTypes.StringType, false),
            DataTypes.createStructField("corruption", DataTypes.StringType, true),
            DataTypes.createStructField("severity", DataTypes.IntegerType, false),
            DataTypes.createStructField("index", DataTypes.IntegerType, false),
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("label", DataTypes.StringType, false),
            DataTypes.createStructField("predicted", DataTypes.StringType, false),
            DataTypes.createStructField("probability", DataTypes.DoubleType, false),
            DataTypes.createStructField("logits", csv ? DataTypes.StringType
                    : DataTypes.createArrayType(DataTypes.FloatType, false), false)});
    }

    static Row row(Unit u, int i, float[] logits, List<String> classes, double temperature, String variant,
                   boolean csv) {
        float[] p = logits.clone();
        Predictor.softmaxInPlace(p, temperature);
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k; // ties to the lower index, as the metrics' argmax
            }
        }
        Object z;
        if (csv) {
            StringBuilder s = new StringBuilder();
            for (float f : logits) {
                s.append(s.length() == 0 ? "" : " ").append(f);
            }
            z = s.toString();
        } else {
            Float[] boxed = new Float[logits.length];
            for (int k = 0; k < logits.length; k++) {
                boxed[k] = logits[k];
            }
            z = boxed;
        }
        return RowFactory.create(variant, u.corruption(), u.severity(), u.first() + i, u.files().get(i).source(),
                classes.get(u.files().get(i).label()), classes.get(best), (double) p[best], z);
    }

    /** The logits of a row read back, as written. */
    static float[] logits(Row r, boolean csv) {
        if (csv) {
            String[] parts = r.getString(r.fieldIndex("logits")).split(" ");
            float[] out = new float[parts.length];
            for (int k = 0; k < parts.length; k++) {
                out[k] = Float.parseFloat(parts[k]);
            }
            return out;
        }
        List<Float> l = r.getList(r.fieldIndex("logits"));
        float[] out = new float[l.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = l.get(k);
        }
        return out;
    }
}
