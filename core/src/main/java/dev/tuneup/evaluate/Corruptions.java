package dev.tuneup.evaluate;

import dev.tuneup.TuneupException;
import dev.tuneup.data.ImageSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Corrupts whole image sets. Image {@code i} draws from its own RNG, seeded from (seed, corruption,
 * severity, i), so the result is the same whatever the number of threads or the order they run in.
 */
public final class Corruptions {
    private Corruptions() {
    }

    /** The corrupted copy of {@code set}: same labels, classes, sources and shape. */
    public static ImageSet apply(ImageSet set, Corruption c, int severity, long seed) {
        return apply(set, c, severity, seed, () -> { });
    }

    /** As above; {@code onImage} runs once per corrupted image, from worker threads. */
    public static ImageSet apply(ImageSet set, Corruption c, int severity, long seed, Runnable onImage) {
        return apply(set, c, severity, seed, 0, onImage);
    }

    /**
     * As above for a slice of a larger set that starts at image {@code first} of it: image {@code i} here
     * draws as image {@code first + i} of the whole set would, so slices corrupted apart (on other
     * threads or machines) give exactly the whole set's result.
     */
    public static ImageSet apply(ImageSet set, Corruption c, int severity, long seed, int first, Runnable onImage) {
        Corruption.checkSeverity(severity);
        int n = set.size();
        byte[][] out = new byte[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            out[i] = c.apply(set.image(i), severity, rng(seed, c, severity, first + i)).pixels();
            onImage.run();
        });
        String[] sources = new String[n];
        for (int i = 0; i < n; i++) {
            sources[i] = set.source(i);
        }
        return new ImageSet(set.height(), set.width(), set.channels(), set.classes(), out, set.labels(), sources);
    }

    /**
     * The RNG of image {@code index}. The corruption enters by its id, not its position in the enum,
     * so adding corruptions later changes no existing result.
     */
    public static SplittableRandom rng(long seed, Corruption c, int severity, int index) {
        long h = mix(seed);
        h = mix(h ^ c.id().hashCode() * 0x9E3779B97F4A7C15L);
        h = mix(h ^ severity * 0xC2B2AE3D27D4EB4FL);
        h = mix(h ^ (index + 1L) * 0x165667B19E3779F9L);
        return new SplittableRandom(h);
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Severities from {@code "1-5"}, {@code "3"} or {@code "1,3,5"} (ranges may mix in), sorted. */
    public static List<Integer> parseSeverities(String spec) {
        TreeSet<Integer> out = new TreeSet<>();
        try {
            for (String part : spec.split(",")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    continue;
                }
                int dash = p.indexOf('-', 1);
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).strip());
                if (lo > hi) {
                    throw new TuneupException("severity range " + p + " runs backwards", "write it low-high, e.g. 1-5");
                }
                for (int s = lo; s <= hi; s++) {
                    Corruption.checkSeverity(s);
                    out.add(s);
                }
            }
        } catch (NumberFormatException e) {
            throw new TuneupException("severities '" + spec + "' are not numbers",
                    "use a range such as 1-5, or a list such as 1,3,5");
        }
        if (out.isEmpty()) {
            throw new TuneupException("no severities in '" + spec + "'", "use a range such as 1-5");
        }
        return new ArrayList<>(out);
    }
}
