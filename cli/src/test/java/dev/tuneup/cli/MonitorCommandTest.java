package dev.tuneup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.JsonFiles;
import dev.tuneup.bundle.Profile;
import dev.tuneup.serve.Postgres;
import dev.tuneup.serve.PredictionLog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tuneup monitor} on a prediction log written by the server's own log writer, in an SQLite file and
 * in PostgreSQL: exit codes for cron, JSON on stdout.
 */
class MonitorCommandTest {
    @TempDir
    Path dir;

    private String kind = "sqlite";

    /**
     * A log of {@code n} answers, {@code catShare} of them "cat", for a bundle validated at 50/30/20: the
     * --db argument, an SQLite file path or a PostgreSQL JDBC URL as {@link #kind} says.
     */
    private String log(String name, int n, double catShare) throws Exception {
        String db = kind.equals("sqlite") ? dir.resolve(name).toString() : Postgres.freshDatabase();
        Profile p = new Profile(1000, new double[] {0.5, 0.3, 0.2}, Profile.EDGES,
                new double[] {0, 0, 0, 0.02, 0.03, 0.05, 0.05, 0.05, 0.1, 0.2, 0.2, 0.3}, 0.8, 0.9);
        try (PredictionLog log = new PredictionLog(kind.equals("sqlite") ? "jdbc:sqlite:" + db : db, 0)) {
            log.model("v1", dir.resolve("bundle").toString(), List.of("cat", "dog", "frog"),
                    JsonFiles.MAPPER.writeValueAsString(p));
            double[] mids = {0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.925, 0.97, 0.995};
            int[] per100 = {0, 0, 0, 2, 3, 5, 5, 5, 10, 20, 20, 30}; // the profile's confidence shares
            int bin = 0;
            int inBin = 0;
            for (int i = 0; i < n; i++) {
                while (inBin >= per100[bin] * n / 100) {
                    bin = (bin + 1) % mids.length;
                    inBin = 0;
                }
                inBin++;
                String predicted = i < catShare * n ? "cat" : (i - (int) (catShare * n)) % 5 < 3 ? "dog" : "frog";
                log.log(new PredictionLog.Row("p" + i, i, "sha" + i, null, "v1", predicted, mids[bin], "[]"));
            }
            log.flush();
        }
        return db;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aShiftExitsWithThreeAndStableTrafficWithZero(String kind) throws Exception {
        this.kind = kind;
        CliRun shift = CliRun.run("monitor", "--db", log("shift.db", 300, 0.95));
        assertEquals(MonitorCommand.DRIFT, shift.code(), shift.out() + shift.err());
        assertTrue(shift.out().contains("Shift: traffic is predicted 'cat'"), shift.out());
        CliRun never = CliRun.run("monitor", "--db", log("never.db", 300, 0.95), "--fail-on", "never");
        assertEquals(0, never.code(), never.err());
        CliRun stable = CliRun.run("monitor", "--db", log("stable.db", 300, 0.5));
        assertEquals(0, stable.code(), stable.out() + stable.err());
        CliRun bad = CliRun.run("monitor", "--db", log("bad.db", 10, 0.5), "--fail-on", "sometimes");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--fail-on must be moderate, shift or never, not sometimes"), bad.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void jsonGoesToStdoutAndTheTextToStderr(String kind) throws Exception {
        this.kind = kind;
        CliRun r = CliRun.run("monitor", "--db", log("json.db", 300, 0.95), "--json");
        assertEquals(MonitorCommand.DRIFT, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("v1", j.get("model_version").asText());
        assertEquals(300, j.get("predictions").asInt());
        assertEquals("SHIFT", j.get("drift").get("level").asText());
        assertTrue(j.get("drift").has("class_psi_p_value"), r.out());
        assertTrue(r.err().contains("300 predictions"), r.err());
    }

    @Test
    void theModelVersionOptionNoLongerClashesWithVersion() {
        CliRun help = CliRun.run("monitor", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("--model-version"), help.out());
    }
}
