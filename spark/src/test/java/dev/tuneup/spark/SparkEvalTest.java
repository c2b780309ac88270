package dev.tuneup.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.evaluate.Evaluation;
import dev.tuneup.evaluate.Tta;
import dev.tuneup.track.RunDir;
import dev.tuneup.workflow.DistributedEvalWorkflow;
import dev.tuneup.workflow.EvalWorkflow;
import dev.tuneup.workflow.Reporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * eval --spark against single-machine eval on the same images and bundle: the same metrics (clean,
 * uncalibrated, bootstrap intervals, confusion, every corruption and severity), every prediction row
 * written once, in Parquet and CSV, and when a task dies mid-way and Spark retries it.
 */
class SparkEvalTest {
    @TempDir
    static Path dir;

    static final long N = 270;
    static final long PASSES = 6;
    static SparkSession spark;
    static final AtomicInteger FAILED_TASKS = new AtomicInteger();
    static EvalRun.Report single;
    static Path data;
    static Path bundle;

    static final EvalRun.Options OPTIONS = new EvalRun.Options(Tta.NONE,
            List.of(Corruption.byId("gaussian_noise"), Corruption.byId("contrast"), Corruption.byId("invert")),
            List.of(1, 3), 5, 200);

    @BeforeAll
    static void setUp() throws Exception {
        data = Fixture.images(dir, 90); // 270 known images: two tasks per pass (256 + 14)
        bundle = Fixture.bundle(dir);
        // local[2, 3]: two cores, a failed task tried up to 3 times
        spark = SparkSession.builder().master("local[2,3]").appName("SparkEvalTest").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                    FAILED_TASKS.incrementAndGet();
                }
            }
        });
        single = EvalWorkflow.run(request(), RunDir.create(dir.resolve("runs"), "eval"), Reporter.silent());
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    static EvalWorkflow.Request request() {
        return new EvalWorkflow.Request(bundle, data.toString(), "test", null, OPTIONS, 0, List.of());
    }

    private static EvalRun.Report onSpark(String format, Faults faults, List<String> lines) throws Exception {
        return onSpark(request(), format, faults, lines);
    }

    private static EvalRun.Report onSpark(EvalWorkflow.Request q, String format, Faults faults, List<String> lines)
            throws Exception {
        RunDir run = RunDir.create(dir.resolve("runs"), "eval");
        return DistributedEvalWorkflow.run(q, new DistributedEvalWorkflow.Cluster(null, format),
                new SparkPrediction(faults), run, Reporter.lines(lines::add));
    }

    @Test
    void aManifestOfTheSameFilesGivesTheSameMetrics() throws Exception {
        StringBuilder csv = new StringBuilder("path,label,split\n");
        try (var files = java.nio.file.Files.walk(data.resolve("test"))) {
            for (Path f : (Iterable<Path>) files.filter(java.nio.file.Files::isRegularFile).sorted(
                    java.util.Comparator.reverseOrder())::iterator) { // rows in another order than the load's
                csv.append(data.relativize(f)).append(',').append(f.getParent().getFileName()).append(",test\n");
            }
        }
        Path manifest = java.nio.file.Files.writeString(data.resolve("images.csv"), csv);
        EvalRun.Report r = onSpark(new EvalWorkflow.Request(bundle, manifest.toString(), "test", null, OPTIONS, 0,
                List.of()), "parquet", Faults.NONE, new ArrayList<>());
        assertSame(single, r);
    }

    @Test
    void parquetPredictionsGiveTheSingleMachineMetricsWithEveryRowOnce() throws Exception {
        List<String> lines = new ArrayList<>();
        EvalRun.Report r = onSpark("parquet", Faults.NONE, lines);
        assertSame(single, r);
        String out = String.join("\n", lines);
        assertTrue(out.contains("local[2,3]") && out.contains("12 tasks of up to 256 images"), out);
        Dataset<Row> rows = spark.read().parquet(predictionsOf(lines));
        assertEquals(N * PASSES, rows.count()); // clean, 2 x 2 corrupted, invert at 1
        assertEquals(N * PASSES, rows.select("variant", "index").distinct().count());
        assertEquals(N, rows.filter("variant = 'contrast:3'").count());
        assertEquals(0L, rows.filter("variant = 'invert:3'").count()); // invert has one level
        assertTrue(out.contains("left out images of classes the model does not know: {zebra=3}"), out);
    }

    @Test
    void csvPredictionsReadBackToTheSameMetrics() throws Exception {
        List<String> lines = new ArrayList<>();
        assertSame(single, onSpark("csv", Faults.NONE, lines));
        Dataset<Row> rows = spark.read().option("header", "true").csv(predictionsOf(lines));
        assertEquals(N * PASSES, rows.count());
    }

    @Test
    void aTaskKilledAfterWritingSomeRowsIsRetriedWithoutLosingOrRepeatingARow() throws Exception {
        int before = FAILED_TASKS.get();
        List<String> lines = new ArrayList<>();
        EvalRun.Report r = onSpark("parquet", new Faults(2, 100), lines); // gaussian_noise:1, images 0-255
        assertTrue(FAILED_TASKS.get() > before, "the injected fault did not fire");
        assertSame(single, r);
        Dataset<Row> rows = spark.read().parquet(predictionsOf(lines));
        assertEquals(N * PASSES, rows.count());
        assertEquals(N * PASSES, rows.select("variant", "index").distinct().count());
    }

    private static String predictionsOf(List<String> lines) {
        String last = lines.get(lines.size() - 1);
        return Path.of(last.substring(last.indexOf("-> ") + 3).strip()).resolve("predictions").toString();
    }

    static void assertSame(EvalRun.Report a, EvalRun.Report b) {
        assertEvaluation(a.clean(), b.clean());
        assertEvaluation(a.uncalibrated(), b.uncalibrated());
        assertEquals(a.temperature(), b.temperature());
        assertEquals(a.corruptions().size(), b.corruptions().size());
        for (int i = 0; i < a.corruptions().size(); i++) {
            EvalRun.CorruptionResult x = a.corruptions().get(i);
            EvalRun.CorruptionResult y = b.corruptions().get(i);
            assertEquals(x.corruption() + ":" + x.severity(), y.corruption() + ":" + y.severity());
            assertEquals(x.accuracy(), y.accuracy(), 1e-9, x.corruption());
            assertEquals(x.nll(), y.nll(), 1e-9, x.corruption());
            assertEquals(x.ece(), y.ece(), 1e-9, x.corruption());
        }
        assertEquals(a.meanCorruptionAccuracy(), b.meanCorruptionAccuracy(), 1e-9);
        assertEquals(a.relativeRobustness(), b.relativeRobustness(), 1e-9);
    }

    static void assertEvaluation(Evaluation a, Evaluation b) {
        assertEquals(a.n(), b.n());
        assertEquals(a.accuracy(), b.accuracy(), 1e-9);
        assertEquals(a.topKAccuracy(), b.topKAccuracy(), 1e-9);
        assertEquals(a.nll(), b.nll(), 1e-9);
        assertEquals(a.brier(), b.brier(), 1e-9);
        assertEquals(a.macro().f1(), b.macro().f1(), 1e-9);
        assertEquals(a.calibration().ece(), b.calibration().ece(), 1e-9);
        assertEquals(String.valueOf(a.bootstrap()), String.valueOf(b.bootstrap()));
        for (int i = 0; i < a.numClasses(); i++) {
            assertArrayEquals(a.confusion().counts()[i], b.confusion().counts()[i]);
        }
    }
}
