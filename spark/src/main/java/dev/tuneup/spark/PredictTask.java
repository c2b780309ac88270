package dev.tuneup.spark;

import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageFiles;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.evaluate.Aligned;
import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.Corruptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * A task: its units' images read and decoded as a single-machine load does them ({@link ImageFiles#decode}
 * at the bundle's size and rule, then {@link Aligned#conform}), corrupted with their indices in the whole
 * set ({@link Corruptions#apply(ImageSet, Corruption, int, long, int, Runnable)}), and predicted by the
 * executor's one {@link ExecutorBundle}; one row per image ({@link Predictions#SCHEMA}).
 */
final class PredictTask implements FlatMapFunction<Iterator<Unit>, Row> {
    private static final long serialVersionUID = 1L;

    private final String digest;
    private final Broadcast<Map<String, byte[]>> bundle;
    private final List<String> variantIds;
    private final long seed;
    private final boolean csv;
    private final Faults faults;
    private final Timers timers;

    PredictTask(String digest, Broadcast<Map<String, byte[]>> bundle, List<String> variantIds, long seed, boolean csv,
                Faults faults, Timers timers) {
        this.digest = digest;
        this.bundle = bundle;
        this.variantIds = variantIds;
        this.seed = seed;
        this.csv = csv;
        this.faults = faults;
        this.timers = timers;
    }

    @Override
    public Iterator<Row> call(Iterator<Unit> units) {
        TaskThreads.noGrad();
        long t = System.nanoTime();
        ExecutorBundle b = ExecutorBundle.get(digest, bundle.value());
        timers.setup(System.nanoTime() - t);
        List<Row> rows = new ArrayList<>();
        while (units.hasNext()) {
            Unit u = units.next();
            long t0 = System.nanoTime();
            String key = digest + "/" + u.first() + "/" + u.files().size() + "/" + u.files().get(0).source();
            ImageSet set = DecodedSlices.get(key);
            if (set == null) {
                set = decode(u, b);
                DecodedSlices.put(key, set);
            }
            long t1 = System.nanoTime();
            if (u.corruption() != null) {
                set = Corruptions.apply(set, Corruption.byId(u.corruption()), u.severity(), seed, u.first(),
                        () -> { });
            }
            long t2 = System.nanoTime();
            float[][] z = b.logits(set);
            timers.add(t1 - t0, t2 - t1, System.nanoTime() - t2);
            for (int i = 0; i < z.length; i++) {
                rows.add(Predictions.row(u, i, z[i], b.info.classes(), b.info.preprocessing().temperature(),
                        variantIds.get(u.variant()), csv));
            }
        }
        TaskContext task = TaskContext.get();
        return faults.wrap(rows.iterator(), task == null ? 0 : task.partitionId(), task == null ? 0
                : task.attemptNumber());
    }

    private static ImageSet decode(Unit u, ExecutorBundle b) {
        Preprocessing p = b.info.preprocessing();
        LoadOptions load = p.load(LoadOptions.defaults());
        int n = u.files().size();
        byte[][] px = new byte[n][];
        int[] labels = new int[n];
        String[] sources = new String[n];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            ImageFiles.File f = u.files().get(i);
            Image im = ImageFiles.decode(f.source(), load);
            px[i] = im.pixels();
        });
        for (int i = 0; i < n; i++) {
            labels[i] = u.files().get(i).label();
            sources[i] = u.files().get(i).source();
        }
        ImageSet set = new ImageSet(p.height(), p.width(), p.channels(), b.info.classes(), px, labels, sources);
        return Aligned.conform(set, p.fit(), p.channels());
    }
}
