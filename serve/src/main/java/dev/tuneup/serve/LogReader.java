package dev.tuneup.serve;

import dev.tuneup.TuneupException;
import dev.tuneup.bundle.Profile;
import dev.tuneup.data.DataException;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageDecoder;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.monitor.Drift;
import dev.tuneup.repair.UserLabels;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a server's prediction log for {@code tuneup monitor} (drift of recent traffic, feedback
 * so far) and for {@code tuneup repair --strategy feedback --db} (the corrected images). Opens
 * the database read-only, so it can run beside a live server (or, on PostgreSQL, beside several).
 */
public final class LogReader implements AutoCloseable {
    private final Connection db;
    private final String url;

    /** @param db a JDBC URL, or a path that is taken as an SQLite file */
    public LogReader(String db) {
        this.url = db.startsWith("jdbc:") ? db : "jdbc:sqlite:" + db;
        if (url.startsWith("jdbc:sqlite:") && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(
                url.substring("jdbc:sqlite:".length())))) {
            throw new TuneupException("no prediction log at " + db, "pass the --db file that tuneup serve wrote"
                    + " (feedback.db in the folder it was started from, unless --db said otherwise)");
        }
        try {
            org.sqlite.SQLiteConfig c = new org.sqlite.SQLiteConfig();
            c.setReadOnly(true);
            this.db = url.startsWith("jdbc:sqlite:") ? DriverManager.getConnection(url, c.toProperties())
                    : DriverManager.getConnection(url);
            if (!url.startsWith("jdbc:sqlite:")) {
                this.db.setReadOnly(true);
            }
        } catch (SQLException e) {
            throw new TuneupException("cannot open the prediction log " + url + ": " + e.getMessage(),
                    Schema.postgres(url) ? "check the host, port, database, user and password in the URL, and that"
                            + " PostgreSQL is running" : "check the path and permissions", e);
        }
    }

    /** A model version the server answered with. */
    public record Model(String version, String bundle, List<String> classes, Profile profile) {
    }

    /** Traffic and feedback of one model version, and its drift. */
    public record Summary(Model model, long predictions, long feedback, long feedbackAgreeing,
                          Map<String, Long> corrections, Drift.Report drift) {
    }

    /** The version that answered last (or was loaded last when none has answered yet). */
    public Model latest() {
        String v = one("SELECT model_version FROM predictions ORDER BY time_ms DESC LIMIT 1");
        if (v == null) {
            v = one("SELECT version FROM models ORDER BY loaded_ms DESC LIMIT 1");
        }
        if (v == null) {
            throw new TuneupException(url + " holds no model yet", "start tuneup serve with this --db first");
        }
        return model(v);
    }

    /** The stored facts about {@code version}. */
    public Model model(String version) {
        try (PreparedStatement p = db.prepareStatement("SELECT bundle, classes, profile FROM models WHERE version = ?")) {
            p.setString(1, version);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw new TuneupException("no model version " + version + " in " + url, "versions: " + list(
                            "SELECT version FROM models ORDER BY loaded_ms"));
                }
                String profile = r.getString(3);
                return new Model(version, r.getString(1), List.of(r.getString(2).split("\n")),
                        profile == null ? null : dev.tuneup.JsonFiles.read(profile.getBytes(java.nio.charset.StandardCharsets.UTF_8), Profile.class));
            }
        } catch (SQLException | java.io.IOException e) {
            throw new TuneupException("cannot read model " + version + " from " + url + ": " + e.getMessage(),
                    "the log is damaged; start a new one", e);
        }
    }

    /** Drift of the last {@code window} answers of {@code m}, and its feedback. */
    public Summary summary(Model m, int window) {
        try {
            long[] byClass = new long[m.classes().size()];
            long[] byBin = new long[m.profile() == null ? Profile.EDGES.length - 1 : m.profile().confidenceShare().length];
            double sum = 0;
            long n = 0;
            try (PreparedStatement p = db.prepareStatement("SELECT predicted, confidence FROM predictions WHERE"
                    + " model_version = ? ORDER BY time_ms DESC LIMIT ?")) {
                p.setString(1, m.version());
                p.setInt(2, window);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        int c = m.classes().indexOf(r.getString(1));
                        double conf = r.getDouble(2);
                        byClass[c]++;
                        if (m.profile() != null) {
                            byBin[m.profile().confidenceBin(conf)]++;
                        }
                        sum += conf;
                        n++;
                    }
                }
            }
            Drift.Report drift = m.profile() == null ? null
                    : new Drift(m.profile(), m.classes()).report(byClass, byBin, n == 0 ? 0 : sum / n);
            Map<String, Long> corrections = new LinkedHashMap<>();
            long agreeing = 0;
            long given = 0;
            try (PreparedStatement p = db.prepareStatement("SELECT p.predicted, f.label, COUNT(*) FROM feedback f JOIN"
                    + " predictions p ON p.id = f.prediction_id WHERE p.model_version = ? GROUP BY p.predicted, f.label"
                    + " ORDER BY COUNT(*) DESC")) {
                p.setString(1, m.version());
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        long k = r.getLong(3);
                        given += k;
                        if (r.getString(1).equals(r.getString(2))) {
                            agreeing += k;
                        } else {
                            corrections.put(r.getString(1) + " -> " + r.getString(2), k);
                        }
                    }
                }
            }
            long total = Long.parseLong(one("SELECT COUNT(*) FROM predictions WHERE model_version = ?", m.version()));
            return new Summary(m, total, given, agreeing, corrections, drift);
        } catch (SQLException e) {
            throw new TuneupException("cannot read " + url + ": " + e.getMessage(), "the log is damaged", e);
        }
    }

    /**
     * Every correction whose image was kept, decoded as a bundle of {@code fit} and {@code channels}
     * with {@code classes} takes it (the same decoder as serving and evaluation), labelled with the
     * corrected class. Sources read {@code feedback:<prediction id>}.
     */
    public UserLabels corrections(List<String> classes, dev.tuneup.data.Fit fit, int channels) {
        List<byte[]> px = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        int noImage = 0;
        int unknown = 0;
        int bad = 0;
        LoadOptions lo = LoadOptions.defaults().withChannels(channels).withFit(fit);
        int confirmations = 0;
        try (PreparedStatement p = db.prepareStatement("SELECT f.prediction_id, f.label, i.bytes, p.predicted FROM"
                + " feedback f JOIN"
                + " predictions p ON p.id = f.prediction_id LEFT JOIN images i ON i.sha256 = p.image_sha256"
                + " ORDER BY f.time_ms");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                byte[] bytes = r.getBytes(3);
                int c = classes.indexOf(r.getString(2));
                if (bytes == null) {
                    noImage++;
                } else if (c < 0) {
                    unknown++;
                } else {
                    try {
                        Image im = ImageDecoder.decode(bytes, "feedback:" + r.getString(1), lo, fit.height(), fit.width());
                        px.add(im.pixels());
                        labels.add(c);
                        sources.add("feedback:" + r.getString(1));
                        confirmations += r.getString(2).equals(r.getString(4)) ? 1 : 0;
                    } catch (DataException e) {
                        bad++;
                    }
                }
            }
        } catch (SQLException e) {
            throw new TuneupException("cannot read feedback from " + url + ": " + e.getMessage(), "the log is damaged", e);
        }
        ImageSet set = new ImageSet(fit.height(), fit.width(), channels, classes, px.toArray(byte[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), sources.toArray(String[]::new));
        return new UserLabels(set, confirmations, noImage, unknown, bad);
    }

    /** The first column of the first row of {@code sql} with {@code args} bound in order, or null. */
    private String one(String sql, String... args) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setString(i + 1, args[i]);
            }
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new TuneupException("cannot read " + url + ": " + e.getMessage(), "is this a tuneup serve --db file?", e);
        }
    }

    private List<String> list(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql); ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close " + url + ": " + e.getMessage(), e);
        }
    }
}
