package dev.tuneup.spark;

import dev.tuneup.workflow.DistributedPrediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a job runs in. A session already open in this JVM (spark-submit's, a test's) is used
 * as it is and left open; otherwise one is opened on {@code master} (default: the master spark-submit
 * set, else {@value #DEFAULT_MASTER}) and closed by the caller. Settings given with {@code --conf} or
 * {@code spark.*} system properties win over the defaults here.
 */
final class SparkSessions {
    static final String DEFAULT_MASTER = "local[*]";

    /** A session and whether this call opened it (and so must stop it). */
    record Opened(SparkSession spark, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                spark.stop();
            }
        }
    }

    private SparkSessions() {
    }

    static Opened open(String master) {
        SparkSession active = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get()
                : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
        if (active != null && (master == null || master.equals(active.sparkContext().master()))) {
            return new Opened(active, false);
        }
        SparkConf conf = new SparkConf(); // spark.* system properties, as spark-submit passes them
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(DEFAULT_MASTER);
        }
        conf.setIfMissing("spark.app.name", "tuneup eval");
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.sql.shuffle.partitions", "4");
        conf.setIfMissing("spark.executor.extraJavaOptions", "-Dai.djl.offline=true");
        if (!conf.get("spark.master").startsWith("local") && !conf.contains("spark.jars")) {
            Set<String> jars = new LinkedHashSet<>(); // tuneup's classes for executors that start without them
            for (Class<?> c : new Class<?>[] {DistributedPrediction.class, SparkSessions.class}) {
                jarOf(c, jars);
            }
            conf.set("spark.jars", String.join(",", jars));
        }
        return new Opened(SparkSession.builder().config(conf).getOrCreate(), true);
    }

    private static void jarOf(Class<?> c, Set<String> jars) {
        try {
            Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p)) {
                jars.add(p.toString());
            }
        } catch (java.net.URISyntaxException | SecurityException | NullPointerException e) {
            // a class from no jar (a build's classes folder): the executors must have it on their class path
        }
    }
}
