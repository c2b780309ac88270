package dev.tuneup;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tuneup version this library was built as (from the build, not from a jar manifest, so tests see it too). */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    /** e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
