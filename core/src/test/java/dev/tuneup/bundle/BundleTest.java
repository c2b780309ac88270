package dev.tuneup.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import dev.tuneup.TuneupException;
import dev.tuneup.data.ImageSet;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import dev.tuneup.track.AtomicFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles: round trip in this and in a new JVM, with and without a profile, and any changed or cut byte is caught. */
public class BundleTest {
    /** A tiny CNN for 8x8x3 images and 3 classes, shared by tests that need a real network. */
    public static final ModelSpec SPEC = new ModelSpec("cnn", 0, 1, List.of(4), 3, "max", List.of(8), Activations.Kind.RELU,
            Norms.Kind.BATCH, 0, 0, 3, 8, 8, 3);

    @TempDir
    Path dir;

    /** {@code n} random 8x8x3 images labelled {@code i % 3} (cat, dog, frog). */
    public static ImageSet images(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[][] px = new byte[n][8 * 8 * 3];
        int[] labels = new int[n];
        String[] sources = new String[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < px[i].length; j++) {
                px[i][j] = (byte) rng.nextInt(256);
            }
            labels[i] = i % 3;
            sources[i] = "img" + i;
        }
        return new ImageSet(8, 8, 3, List.of("cat", "dog", "frog"), px, labels, sources);
    }

    static final Profile PROFILE = Profile.of(new float[][] {{0.7f, 0.2f, 0.1f}, {0.1f, 0.3f, 0.6f}}, new int[] {0, 1});

    static ModelBundle.Info info(Profile profile) {
        Normalization n = new Normalization(new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.2f, 0.25f, 0.3f});
        return new ModelBundle.Info(Networks.Spec.of(SPEC), List.of("cat", "dog", "frog"), Preprocessing.of(8, 8, n),
                Map.of("seed", 7), profile);
    }

    static Path bundle(Path dir) {
        return bundle(dir.resolve("bundle"), PROFILE);
    }

    static Path bundle(Path target, Profile profile) {
        try (NDManager m = NDManager.newBaseManager()) {
            return ModelBundle.write(target, Networks.create(SPEC, m, 7), info(profile));
        }
    }

    static float[][] predict(Path bundle, ImageSet images) {
        try (NDManager m = NDManager.newBaseManager()) {
            return new Predictor(ModelBundle.load(bundle, m), m, 16).probabilities(images);
        }
    }

    @Test
    void roundTripGivesIdenticalPredictionsHereAndInANewJvm() throws Exception {
        Path b = bundle(dir);
        ImageSet im = images(20, 3);
        float[][] here = predict(b, im);
        assertEquals(20, here.length);
        assertEquals(1.0, here[0][0] + here[0][1] + here[0][2], 1e-5);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PredictMain.class.getName(), b.toString()).redirectErrorStream(false).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("p ")).toList();
        assertEquals(20, lines.size());
        for (int i = 0; i < 20; i++) {
            String[] bits = lines.get(i).substring(2).split(" ");
            for (int j = 0; j < 3; j++) {
                assertEquals(Float.floatToIntBits(here[i][j]), Integer.parseInt(bits[j]), "image " + i + " class " + j);
            }
        }
    }

    @Test
    void aChangedByteInAnyFileIsCaughtAndNamed() throws IOException {
        Path b = bundle(dir);
        ImageSet im = images(4, 1);
        List<Path> files;
        try (Stream<Path> s = Files.list(b)) {
            files = s.sorted().toList();
        }
        assertEquals(7, files.size(), files.toString());
        for (Path f : files) {
            byte[] orig = Files.readAllBytes(f);
            for (int at : new int[] {0, orig.length / 2, orig.length - 1}) {
                byte[] bad = orig.clone();
                bad[at] ^= 0x01;
                Files.write(f, bad);
                TuneupException e = assertThrows(TuneupException.class, () -> predict(b, im), f + " byte " + at);
                assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
                if (!f.getFileName().toString().equals("manifest.json")) {
                    assertTrue(e.getMessage().contains(f.getFileName().toString()), e.getMessage());
                }
            }
            Files.write(f, java.util.Arrays.copyOf(orig, orig.length - 1));
            assertThrows(TuneupException.class, () -> predict(b, im), f + " truncated");
            Files.write(f, orig);
        }
        predict(b, im); // intact again
    }

    @Test
    void theProfileRoundTripsAndABundleWithoutOneLoadsWithNone() throws IOException {
        Path with = bundle(dir);
        Path without = bundle(dir.resolve("plain"), null);
        assertTrue(Files.isRegularFile(with.resolve(ModelBundle.PROFILE)));
        assertTrue(Files.notExists(without.resolve(ModelBundle.PROFILE)));
        try (NDManager m = NDManager.newBaseManager()) {
            assertSameProfile(PROFILE, ModelBundle.load(with, m).info().profile());
            assertNull(ModelBundle.load(without, m).info().profile());
        }
        for (Profile p : new Profile[] {PROFILE, null}) {
            Path json = dir.resolve("info-" + (p == null) + ".json");
            Files.write(json, ModelBundle.infoJson(info(p)));
            ModelBundle.Info back = ModelBundle.readInfo(json);
            assertEquals(3, back.classes().size());
            if (p == null) {
                assertNull(back.profile());
            } else {
                assertSameProfile(p, back.profile());
            }
        }
    }

    @Test
    void aProfileTheManifestListsMustBeThere() throws IOException {
        Path b = bundle(dir);
        Files.delete(b.resolve(ModelBundle.PROFILE));
        TuneupException e = assertThrows(TuneupException.class, () -> predict(b, images(1, 1)));
        assertTrue(e.getMessage().contains("profile.json is missing"), e.getMessage());
    }

    static void assertSameProfile(Profile expected, Profile actual) {
        assertEquals(expected.n(), actual.n());
        assertArrayEquals(expected.classShare(), actual.classShare());
        assertArrayEquals(expected.confidenceEdges(), actual.confidenceEdges());
        assertArrayEquals(expected.confidenceShare(), actual.confidenceShare());
        assertEquals(expected.accuracy(), actual.accuracy());
        assertEquals(expected.meanConfidence(), actual.meanConfidence());
    }

    @Test
    void readsOnlyItsOwnFilesAndNeverOverwrites() throws IOException {
        Path b = bundle(dir);
        Files.writeString(b.resolve("evil.class"), "not read");
        float[][] p = predict(b, images(2, 5));
        assertEquals(2, p.length);
        TuneupException e = assertThrows(TuneupException.class, () -> bundle(dir));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        TuneupException missing = assertThrows(TuneupException.class, () -> predict(dir.resolve("nope"), images(1, 1)));
        assertTrue(missing.getMessage().contains("is not a bundle folder"), missing.getMessage());
    }

    @Test
    void nonFiniteWeightsAreNeitherWrittenNorLoaded() throws IOException {
        Path good = bundle(dir.resolve("good"));
        try (NDManager m = NDManager.newBaseManager()) {
            Block model = Networks.create(SPEC, m, 7);
            NDArray w = model.getParameters().get(0).getValue().getArray();
            w.set(new NDIndex("0"), Float.NaN);
            TuneupException written = assertThrows(TuneupException.class,
                    () -> ModelBundle.write(dir.resolve("nan"), model, info(PROFILE)));
            assertTrue(written.getMessage().contains("non-finite weights"), written.getMessage());
            assertTrue(!Files.exists(dir.resolve("nan")), "nothing half-written");
            // the same bundle with the NaN weights put in place and a manifest that matches them
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.saveParameters(new java.io.DataOutputStream(bytes));
            Map<String, byte[]> files = new HashMap<>(AtomicFolder.read(good,
                    AtomicFolder.manifest(good).path("files").properties().stream()
                            .map(Map.Entry::getKey).collect(Collectors.toSet()), 1 << 30));
            files.put(ModelBundle.WEIGHTS, bytes.toByteArray());
            Path forged = AtomicFolder.write(dir.resolve("forged"), files,
                    Map.of("format", ModelBundle.FORMAT));
            TuneupException loaded = assertThrows(TuneupException.class,
                    () -> ModelBundle.load(forged, m));
            assertTrue(loaded.getMessage().contains("non-finite weights"), loaded.getMessage());
        }
    }

    @Test
    void predictsAnEncodedImageWithItsClassNames() throws IOException {
        Path b = bundle(dir);
        java.awt.image.BufferedImage big = new java.awt.image.BufferedImage(32, 24, java.awt.image.BufferedImage.TYPE_INT_RGB);
        big.setRGB(3, 4, 0xff8040);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(big, "png", png);
        try (NDManager m = NDManager.newBaseManager()) {
            Predictor.Prediction p = new Predictor(ModelBundle.load(b, m), m, 4).predict(png.toByteArray(), "x.png", 2);
            assertEquals(2, p.classes().size());
            assertTrue(p.probabilities()[0] >= p.probabilities()[1]);
            assertTrue(List.of("cat", "dog", "frog").containsAll(p.classes()));
        }
    }

    /** Run in a separate JVM by the round-trip test: prints each probability's float bits. */
    public static final class PredictMain {
        public static void main(String[] args) {
            float[][] p = predict(Path.of(args[0]), images(20, 3));
            List<String> lines = new ArrayList<>();
            for (float[] row : p) {
                StringBuilder sb = new StringBuilder("p");
                for (float v : row) {
                    sb.append(' ').append(Float.floatToIntBits(v));
                }
                lines.add(sb.toString());
            }
            lines.forEach(System.out::println);
        }
    }
}
