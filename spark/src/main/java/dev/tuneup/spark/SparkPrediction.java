package dev.tuneup.spark;

import dev.tuneup.TuneupException;
import dev.tuneup.data.ImageFiles;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.workflow.DistributedPrediction;
import dev.tuneup.workflow.Reporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code eval --spark} on Apache Spark. The bundle folder is broadcast once (each executor writes and
 * loads it once, {@link ExecutorBundle}); the work is one task per (pass, slice of images), so the
 * corruption suite is sharded by (corruption, severity) and by image; each task writes its rows into the
 * predictions table through Spark's commit protocol, so a retried task's rows appear once. The logits
 * are then read back from the written table, checked to hold every (pass, image) exactly once, and
 * returned for core to compute the metrics.
 *
 * <p>Images per task: {@value #IMAGES_PER_TASK} (a Spark setting) or else enough slices for two tasks per
 * executor core per pass, at most 2048 images; always rounded up to a multiple of {@link EvalRun#BATCH}, so
 * every forward pass holds the images a single-machine run batches together, and the logits are the same
 * bit for bit (libtorch's float results depend on the batch's size).
 */
public final class SparkPrediction implements DistributedPrediction {
    /** Spark setting: images per task (default: see the class comment). */
    public static final String IMAGES_PER_TASK = "spark.tuneup.imagesPerTask";

    private final Faults faults;

    public SparkPrediction() {
        this(Faults.NONE);
    }

    SparkPrediction(Faults faults) {
        this.faults = faults;
    }

    @Override
    public Result run(Job job, Reporter out) {
        boolean csv = switch (job.format()) {
            case "csv" -> true;
            case "parquet" -> false;
            default -> throw new TuneupException("predictions format '" + job.format() + "' is not known",
                    "use parquet or csv");
        };
        if (Files.exists(job.predictions())) {
            throw new TuneupException(job.predictions() + " already exists", "write the predictions to a new folder");
        }
        Map<String, byte[]> bundle = readBundle(job.bundle());
        try (SparkSessions.Opened s = SparkSessions.open(job.master())) {
            SparkSession spark = s.spark();
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int cores = sc.defaultParallelism();
            long asked = spark.sparkContext().conf().getLong(IMAGES_PER_TASK,
                    Math.min(2048, -Math.floorDiv(-job.files().size(), 2 * cores)));
            int per = (int) Math.max(EvalRun.BATCH, -Math.floorDiv(-asked, EvalRun.BATCH) * EvalRun.BATCH);
            List<Unit> units = units(job, per);
            out.line(String.format(java.util.Locale.ROOT, "spark %s (%s, %d cores): %d tasks of up to %d images",
                    sc.master(), spark.version(), cores, units.size(), per));
            long t0 = System.nanoTime();
            Broadcast<Map<String, byte[]>> shipped = sc.broadcast(bundle);
            List<String> ids = job.variants().stream().map(Variant::id).toList();
            Timers timers = Timers.register(spark.sparkContext());
            JavaRDD<Row> rows = sc.parallelize(units, units.size()).mapPartitions(new PredictTask(digest(bundle),
                    shipped, ids, job.seed(), csv, faults, timers));
            String path = job.predictions().toAbsolutePath().toString();
            spark.createDataFrame(rows, Predictions.schema(csv)).write().mode(SaveMode.ErrorIfExists)
                    .option("header", "true").format(job.format()).save(path);
            double written = (System.nanoTime() - t0) / 1e9;
            List<float[][]> logits = readBack(spark, path, csv, ids, job.files().size());
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.line(String.format(java.util.Locale.ROOT, "predicted and written in %.1f s, read back in %.1f s; %s",
                    written, seconds - written, timers.summary()));
            shipped.destroy();
            return new Result(logits, seconds, "spark " + sc.master() + ", " + cores + " cores");
        }
    }

    /** Each pass cut into slices of at most {@code per} images, passes in the job's order. */
    static List<Unit> units(Job job, int per) {
        List<Unit> units = new ArrayList<>();
        List<ImageFiles.File> files = job.files();
        for (int v = 0; v < job.variants().size(); v++) {
            Variant var = job.variants().get(v);
            for (int from = 0; from < files.size(); from += per) {
                units.add(new Unit(v, var.corruption() == null ? null : var.corruption().id(), var.severity(), from,
                        new ArrayList<>(files.subList(from, Math.min(files.size(), from + per)))));
            }
        }
        return units;
    }

    /** The logits per pass from the written table; every (pass, image) must be there exactly once. */
    private static List<float[][]> readBack(SparkSession spark, String path, boolean csv, List<String> ids, int n) {
        Dataset<Row> table = spark.read().schema(Predictions.schema(csv)).option("header", "true")
                .format(csv ? "csv" : "parquet").load(path).select("variant", "index", "logits");
        List<float[][]> out = new ArrayList<>();
        ids.forEach(id -> out.add(new float[n][]));
        for (Row r : table.collectAsList()) {
            int v = ids.indexOf(r.getString(0));
            int i = r.getInt(1);
            if (v < 0 || i < 0 || i >= n || out.get(v)[i] != null) {
                throw new TuneupException("the predictions table " + path + " holds a row it should not: pass "
                        + r.getString(0) + ", image " + i + (v >= 0 && i >= 0 && i < n ? " (twice)" : ""),
                        "report this as a bug; delete the folder and run again");
            }
            out.get(v)[i] = Predictions.logits(r, csv);
        }
        for (int v = 0; v < ids.size(); v++) {
            for (int i = 0; i < n; i++) {
                if (out.get(v)[i] == null) {
                    throw new TuneupException("the predictions table " + path + " misses pass " + ids.get(v)
                            + ", image " + i, "report this as a bug; delete the folder and run again");
                }
            }
        }
        return out;
    }

    /** Every file of the bundle folder, by path relative to it. */
    static Map<String, byte[]> readBundle(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new TuneupException("cannot read bundle " + dir + ": " + e.getMessage(), "check the path", e);
        }
        return files;
    }

    static String digest(Map<String, byte[]> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                md.update(f.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(f.getValue());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
