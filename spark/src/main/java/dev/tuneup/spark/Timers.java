package dev.tuneup.spark;

import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Where the tasks' time went, summed over the successful tasks by Spark accumulators: writing and
 * loading the shipped bundle (once per executor JVM), reading and
 * decoding files, corrupting, and the forward passes (including waiting for the executor's predictor).
 */
record Timers(LongAccumulator setup, LongAccumulator decode, LongAccumulator corrupt, LongAccumulator forward) implements Serializable {
    static Timers register(SparkContext sc) {
        return new Timers(sc.longAccumulator("tuneup setup ns"), sc.longAccumulator("tuneup decode ns"), sc.longAccumulator("tuneup corrupt ns"),
                sc.longAccumulator("tuneup forward ns"));
    }

    void setup(long ns) {
        setup.add(ns);
    }

    void add(long decodeNs, long corruptNs, long forwardNs) {
        decode.add(decodeNs);
        corrupt.add(corruptNs);
        forward.add(forwardNs);
    }

    /** "task time: decode 1.2 s, corrupt 3.4 s, forward 20.1 s". */
    String summary() {
        return String.format(Locale.ROOT, "task time: bundle load %.1f s, decode %.1f s, corrupt %.1f s, forward %.1f s"
                + " (with waits for the executor's model)", setup.value() / 1e9, decode.value() / 1e9, corrupt.value() / 1e9, forward.value() / 1e9);
    }
}
