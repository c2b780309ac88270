package dev.tuneup.evaluate;

import dev.tuneup.spec.Spelling;
import dev.tuneup.TuneupException;
import dev.tuneup.data.Image;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The common corruptions of CIFAR-10-C and MNIST-C (Hendrycks and Dietterich 2019; Mu and Gilmer
 * 2019), each at severities 1 (mild) to 5 (severe), with the CIFAR-10-C parameters for 28x28 and
 * 32x32 images; spatial parameters grow with the image beyond 32 pixels. Every corruption keeps the
 * shape (height, width, channels) and works on gray and RGB images. The ones marked random draw
 * from the RNG passed in, so a seeded RNG gives the same bytes every time; {@link Corruptions}
 * seeds one per image.
 */
public enum Corruption {
    GAUSSIAN_NOISE(true, "additive N(0, s) noise, s = 0.04, 0.06, 0.08, 0.09, 0.10 of the range"),
    SHOT_NOISE(true, "Poisson noise, photons at full scale = 500, 250, 100, 75, 50"),
    IMPULSE_NOISE(true, "salt and pepper on a fraction 0.01, 0.02, 0.03, 0.05, 0.07 of the values"),
    DEFOCUS_BLUR(false, "disk kernel radius 0.3, 0.4, 0.5, 1, 1.5 px, antialiased with sigma 0.4, 0.5, 0.6, 0.2, 0.1"),
    GAUSSIAN_BLUR(false, "gaussian sigma 0.4, 0.6, 0.7, 0.8, 1.0 px, reflect borders"),
    MOTION_BLUR(true, "one-sided gaussian streak, sigma 1, 1.5, 2, 2.5, 3 px, at most 10, 10, 10, 10, 12 px,"
            + " angle uniform in +-45 degrees"),
    BRIGHTNESS(false, "HSV value + 0.05, 0.1, 0.15, 0.2, 0.3"),
    CONTRAST(false, "blend with the mean gray, factor 0.75, 0.5, 0.4, 0.3, 0.15"),
    SATURATE(false, "blend away from each pixel's gray, factor 1.5, 2, 3, 4, 5 (gray images: unchanged)"),
    FOG(true, "plasma fractal fog, strength 0.2, 0.5, 0.75, 1, 1.5, roughness decay 3, 3, 2.5, 2, 1.75"),
    PIXELATE(false, "box-downsample to 0.95, 0.9, 0.85, 0.75, 0.65 of the size, then nearest upsample"),
    JPEG_COMPRESSION(false, "JPEG round trip at quality 80, 65, 58, 50, 40"),
    ELASTIC_TRANSFORM(true, "smooth random displacement (sigma 0.12 of the size), RMS 0.5, 0.8, 1.1, 1.5, 2.0 px"
            + " per 32 px"),
    ROTATE(true, "rotation by 6, 12, 18, 24, 30 degrees, random direction, black fill"),
    SHEAR(true, "shear by 6, 12, 18, 24, 30 degrees, random axis and direction, black fill"),
    SCALE(false, "zoom out by 1.1, 1.2, 1.3, 1.4, 1.5 (content shrinks about the centre), black fill"),
    TRANSLATE(true, "shift by 0.04, 0.08, 0.12, 0.16, 0.2 of the size (whole pixels, at least 1) along each"
            + " axis, random signs, black fill"),
    INVERT(false, "255 - v; one level, the severity is ignored");

    /** The highest severity. */
    public static final int MAX_SEVERITY = 5;

    private final boolean random;
    private final String parameters;

    Corruption(boolean random, String parameters) {
        this.random = random;
        this.parameters = parameters;
    }

    /** The name users type and folders carry: {@code gaussian_noise}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when the result depends on the RNG, not only on the image and severity. */
    public boolean random() {
        return random;
    }

    /** The severity parameters, in words. */
    public String parameters() {
        return parameters;
    }

    /** The distinct severities: 5, or 1 for {@link #INVERT}. */
    public int levels() {
        return this == INVERT ? 1 : MAX_SEVERITY;
    }

    /** The corrupted copy of {@code im} at {@code severity} (1..5); {@code im} is not modified. */
    public Image apply(Image im, int severity, SplittableRandom rng) {
        checkSeverity(severity);
        int s = severity - 1;
        return switch (this) {
            case GAUSSIAN_NOISE -> CorruptionNoise.gaussian(im, s, rng);
            case SHOT_NOISE -> CorruptionNoise.shot(im, s, rng);
            case IMPULSE_NOISE -> CorruptionNoise.impulse(im, s, rng);
            case DEFOCUS_BLUR -> CorruptionBlur.defocus(im, s);
            case GAUSSIAN_BLUR -> CorruptionBlur.gaussian(im, s);
            case MOTION_BLUR -> CorruptionBlur.motion(im, s, rng);
            case BRIGHTNESS -> CorruptionColor.brightness(im, s);
            case CONTRAST -> CorruptionColor.contrast(im, s);
            case SATURATE -> CorruptionColor.saturate(im, s);
            case FOG -> CorruptionFog.fog(im, s, rng);
            case PIXELATE -> CorruptionDigital.pixelate(im, s);
            case JPEG_COMPRESSION -> CorruptionDigital.jpeg(im, s);
            case ELASTIC_TRANSFORM -> CorruptionGeometry.elastic(im, s, rng);
            case ROTATE -> CorruptionGeometry.rotate(im, s, rng);
            case SHEAR -> CorruptionGeometry.shear(im, s, rng);
            case SCALE -> CorruptionGeometry.scale(im, s);
            case TRANSLATE -> CorruptionGeometry.translate(im, s, rng);
            case INVERT -> CorruptionColor.invert(im);
        };
    }

    static void checkSeverity(int severity) {
        if (severity < 1 || severity > MAX_SEVERITY) {
            throw new TuneupException("severity " + severity + " is outside 1.." + MAX_SEVERITY,
                    "use a severity from 1 (mild) to " + MAX_SEVERITY + " (severe)");
        }
    }

    /** The corruption named {@code id} ({@code gaussian_noise}; case and '-' for '_' are forgiven). */
    public static Corruption byId(String id) {
        String key = id.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Corruption c : values()) {
            if (c.id().equals(key)) {
                return c;
            }
        }
        String guess = Arrays.stream(values()).map(Corruption::id).filter(n -> key.length() >= 3 && n.contains(key))
                .findFirst().orElseGet(() -> Arrays.stream(values()).map(Corruption::id)
                        .min((a, b) -> Integer.compare(Spelling.distance(a, key), Spelling.distance(b, key))).orElseThrow());
        boolean close = guess.contains(key) || Spelling.distance(guess, key) <= Math.max(2, key.length() / 3);
        throw new TuneupException("unknown corruption '" + id.strip() + "'" + (close ? "; did you mean " + guess + "?" : ""),
                "use 'all' or a comma list of: " + ids());
    }

    /** {@code "all"}, or a comma list of ids; duplicates are dropped, order kept. */
    public static List<Corruption> parse(String list) {
        if (list == null || list.isBlank()) {
            throw new TuneupException("no corruptions given", "use 'all' or a comma list of: " + ids());
        }
        if (list.strip().equalsIgnoreCase("all")) {
            return List.of(values());
        }
        Set<Corruption> out = new LinkedHashSet<>();
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                out.add(byId(part));
            }
        }
        if (out.isEmpty()) {
            throw new TuneupException("no corruptions in '" + list + "'", "use 'all' or a comma list of: " + ids());
        }
        return new ArrayList<>(out);
    }

    /** All ids, comma separated. */
    public static String ids() {
        return Arrays.stream(values()).map(Corruption::id).collect(Collectors.joining(", "));
    }
}
