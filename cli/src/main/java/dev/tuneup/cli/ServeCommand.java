package dev.tuneup.cli;

import dev.tuneup.serve.ServeOptions;
import dev.tuneup.serve.Server;
import dev.tuneup.workflow.ServeRun;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup serve}: one bundle over HTTP until SIGTERM or Ctrl-C, which drain the queue first. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a model bundle over HTTP (docs/serve.md): POST /v1/predict, POST /v1/feedback, GET /health,"
                + " /ready, /metrics; POST /admin/reload with --admin-token-file. Stops cleanly on SIGTERM or Ctrl-C.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "BUNDLE",
            description = "The bundle folder, or a symbolic link to it that /admin/reload re-reads.")
    Path model;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE},"
            + " this machine only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--port-file", paramLabel = "FILE", description = "Write the bound port here once ready (for scripts).")
    Path portFile;

    @Option(names = "--db", defaultValue = "feedback.db", paramLabel = "FILE|JDBC-URL",
            description = "Prediction log and feedback store: an SQLite file, or jdbc:postgresql://HOST:PORT/DB?user=U"
                    + " for one log that several servers share (default ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--max-batch", defaultValue = "32", description = "Largest batch (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-delay-ms", defaultValue = "5",
            description = "How long a batch waits to fill (default ${DEFAULT-VALUE}).")
    int maxDelayMs;

    @Option(names = "--queue", defaultValue = "256", description = "Queued images at most; beyond, 503 (default"
            + " ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--workers", defaultValue = "1", description = "Batch workers (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--threads", description = "Intra-op threads per worker (default: half the cores / workers, at least 1: the rest read, decode and answer requests meanwhile).")
    Integer threads;

    @Option(names = "--timeout-ms", defaultValue = "1000",
            description = "Deadline for an image to start (default ${DEFAULT-VALUE}).")
    int timeoutMs;

    @Option(names = "--max-body-mb", defaultValue = "8", description = "Largest request body (default ${DEFAULT-VALUE}).")
    int maxBodyMb;

    @Option(names = "--max-pixels", paramLabel = "N", description = "Largest image, in pixels declared by its header"
            + " (default: the larger of 4096x4096 and 64 times the model's input pixels).")
    Long maxPixels;

    @Option(names = "--decode-budget-mb", paramLabel = "MB", description = "Heap that decoding images may hold at once,"
            + " over all requests; an image that does not fit waits up to --timeout-ms, then gets 503 (default: a"
            + " quarter of the maximum heap, -Xmx).")
    Long decodeBudgetMb;

    @Option(names = "--max-images", defaultValue = "64", description = "Images per request (default ${DEFAULT-VALUE}).")
    int maxImages;

    @Option(names = "--top-k", defaultValue = "5", description = "Classes per answer (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--image-store-mb", defaultValue = "512",
            description = "Request images kept for feedback (default ${DEFAULT-VALUE}).")
    long imageStoreMb;

    @Option(names = "--drift-window", defaultValue = "1000",
            description = "Recent answers the drift metrics compare (default ${DEFAULT-VALUE}).")
    int driftWindow;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "Enables POST /admin/reload (loopback only) with the token in this file.")
    Path adminTokenFile;

    @Option(names = "--runs", paramLabel = "DIR", description = "Record this serving session as a run under DIR"
            + " (kind serve, lineage: the bundle served; tuneup runs list DIR shows it). Default: not recorded.")
    Path runs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        ServeOptions o;
        try {
            o = new ServeOptions(host, port, maxBatch, maxDelayMs, queue, workers,
                    threads != null ? threads : ServeOptions.defaultThreads(cores, workers), timeoutMs, (long) maxBodyMb << 20,
                    maxPixels == null ? 0 : maxPixels, maxImages, topK, db.startsWith("jdbc:") ? db : "jdbc:sqlite:" + db,
                    imageStoreMb << 20, driftWindow, ServeOptions.readToken(adminTokenFile),
                    decodeBudgetMb == null ? 0 : decodeBudgetMb << 20);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Server server = Server.start(model, o);
        ServeRun session = runs == null ? null : ServeRun.start(runs, model, server.version(), "http://" + host + ":"
                + server.port(), db);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println("draining and stopping");
            out.flush();
            server.close();
            if (session != null) {
                session.close();
            }
            stopped.countDown();
        }, "tuneup-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("serving " + server.version() + " on http://" + host + ":" + server.port() + " (log " + db
                + "; images up to " + server.maxPixels() + " pixels, decode budget " + (server.decodeBudgetBytes() >> 20)
                + " MB)");
        out.flush();
        if (portFile != null) {
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(server.port()), StandardCharsets.UTF_8);
            Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        stopped.await();
        return 0;
    }
}
