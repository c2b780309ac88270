package dev.tuneup.spark;

import dev.tuneup.workflow.DistributedTrials;
import dev.tuneup.workflow.Reporter;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code tune --spark}: each trial a one-task Spark job ({@link CommandTask}) in its own job group, so the
 * study can cancel it (pruning, the time limit) and Spark interrupts the task, which kills the trial's
 * process. The study polls the trial's folder as it polls a local trial's.
 */
public final class SparkTrials implements DistributedTrials {
    @Override
    public Launcher open(String master, Reporter say) {
        ExecutorService submitters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tuneup-trial-submit");
            t.setDaemon(true);
            return t;
        });
        return new Launcher() {
            private SparkSessions.Opened session; // opened by the first trial: a study refused earlier starts no Spark
            private JavaSparkContext context;

            private synchronized JavaSparkContext context() {
                if (context == null) {
                    session = SparkSessions.open(master);
                    context = JavaSparkContext.fromSparkContext(session.spark().sparkContext());
                    say.line("trials run as Spark tasks on " + context.master() + " (" + context.defaultParallelism()
                            + " cores)");
                }
                return context;
            }

            @Override
            public Execution start(String name, List<String> command, Path folder) {
                JavaSparkContext sc = context();
                String group = "tuneup-" + name.replace(' ', '-') + "-" + UUID.randomUUID();
                String dir = folder.toAbsolutePath().toString();
                CompletableFuture<Integer> done = CompletableFuture.supplyAsync(() -> {
                    sc.setJobGroup(group, "tuneup " + name, true); // per thread: this job only
                    try {
                        return sc.parallelize(List.of(0), 1).map(new CommandTask(command, dir)).collect().get(0);
                    } finally {
                        sc.clearJobGroup();
                    }
                }, submitters);
                return new Execution() {
                    @Override
                    public boolean alive() {
                        return !done.isDone();
                    }

                    @Override
                    public int exitCode() {
                        try {
                            return done.get();
                        } catch (ExecutionException e) { // the task failed on every try (lost executors)
                            return 1;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return 1;
                        }
                    }

                    @Override
                    public void kill() {
                        sc.cancelJobGroup(group);
                        try {
                            done.get(30, TimeUnit.SECONDS);
                        } catch (ExecutionException | TimeoutException e) {
                            // cancelled: the job ends with an exception, the task has killed the process
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                };
            }

            @Override
            public synchronized void close() {
                submitters.shutdownNow();
                if (session != null) {
                    session.close();
                }
            }
        };
    }
}
