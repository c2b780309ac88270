package dev.tuneup.spark;

import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Where the tasks' time went, summed over the successful tasks by Spark accumulators: reading and
 * decoding files, corrupting, and the forward passes (including waiting for the executor's predictor).
 */
record Timers(LongAccumulator decode, LongAccumulator corrupt, LongAccumulator forward) implements Serializable {
    static Timers register(SparkContext sc) {
        return new Timers(sc.longAccumulator("tuneup decode ns"), sc.longAccumulator("tuneup corrupt ns"),
                sc.longAccumulator("tuneup forward ns"));
    }

    void add(long decodeNs, long corruptNs, long forwardNs) {
        decode.add(decodeNs);
        corrupt.add(corruptNs);
        forward.add(forwardNs);
    }

    /** "task time: decode 1.2 s, corrupt 3.4 s, forward 20.1 s". */
    String summary() {
        return String.format(Locale.ROOT, "task time: decode %.1f s, corrupt %.1f s, forward %.1f s (with waits for"
                + " the executor's model)", decode.value() / 1e9, corrupt.value() / 1e9, forward.value() / 1e9);
    }
}
