package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.BundleTest;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Networks;
import dev.tuneup.config.ConfigLoader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 mutated inputs of every kind tuneup reads from a user (IDX, CIFAR binary, PNG, JPEG, manifest,
 * YAML config, model bundle), seeded: each must load or be refused with a {@link TuneupException}
 * (a clear error naming the input); any other exception or error, an out-of-memory error included,
 * fails the test with the case that caused it. Prints the outcome counts and the peak heap.
 */
@Tag("reliability")
class FuzzTest {
    private static final int CASES = 1000;

    @TempDir
    Path dir;

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    /** One kind of input: writes a mutated copy into a fresh folder and reads it the way tuneup does. */
    private interface Kind {
        void run(Path work, SplittableRandom rng) throws IOException;
    }

    @Test
    void mutatedInputsLoadOrAreRefusedClearly() throws IOException {
        Path bundle = dir.resolve("seed-bundle");
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.write(bundle, Networks.create(BundleTest.SPEC, m, 7), new ModelBundle.Info(
                    Networks.Spec.of(BundleTest.SPEC), List.of("cat", "dog", "frog"), Preprocessing.of(8, 8,
                    Normalization.unit(3)), Map.of("seed", 7), null));
        }
        Map<String, Kind> kinds = new LinkedHashMap<>();
        kinds.put("idx", (w, r) -> {
            byte[] images = Fixtures.idx(new int[] {6, 4, 4}, bytes(96, r));
            byte[] labels = Fixtures.idx(new int[] {6}, new byte[] {0, 1, 2, 0, 1, 2});
            boolean hitImages = r.nextBoolean();
            boolean gz = r.nextBoolean();
            byte[] im = hitImages ? mutate(images, r) : images;
            byte[] lb = hitImages ? labels : mutate(labels, r);
            Fixtures.write(w, "train-images-idx3-ubyte" + (gz ? ".gz" : ""), gz && r.nextBoolean() ? mutate(
                    Fixtures.gzip(images), r) : gz ? Fixtures.gzip(im) : im);
            Fixtures.write(w, "train-labels-idx1-ubyte" + (gz ? ".gz" : ""), gz ? Fixtures.gzip(lb) : lb);
            DataSources.loadPath(w, null, LoadOptions.defaults());
        });
        kinds.put("cifar", (w, r) -> {
            byte[] records = new byte[4 * 3073];
            for (int i = 0; i < 4; i++) {
                records[i * 3073] = (byte) i;
            }
            DataSources.loadPath(Fixtures.write(w, "data_batch_1.bin", mutate(records, r)), null,
                    LoadOptions.defaults());
        });
        kinds.put("png", (w, r) -> imageFolder(w, r, "png"));
        kinds.put("jpeg", (w, r) -> imageFolder(w, r, "jpg"));
        kinds.put("manifest", (w, r) -> {
            for (int i = 0; i < 3; i++) {
                Fixtures.write(w, "img/" + i + ".png", Fixtures.png(Fixtures.rgb(3, 3, i, 0, 0)));
            }
            String csv = "path,label,split\nimg/0.png,dog,train\nimg/1.png,cat,train\nimg/2.png,dog,test\n";
            DataSources.loadPath(Fixtures.write(w, "labels.csv", mutate(csv.getBytes(StandardCharsets.UTF_8), r)),
                    null, LoadOptions.defaults());
        });
        kinds.put("yaml", (w, r) -> {
            String yaml = "data:\n  name: cifar10\n  per_class: 100\nmodel:\n  arch: cnn\n  conv_widths: [32, 64]\n"
                    + "training:\n  epochs: 3\n  batch_size: 64\nschedule: onecycle(max=0.05)\n"
                    + "augment:\n  train: crop(32,pad=4) | hflip\n";
            Path file = Fixtures.write(w, "run.yaml", mutate(yaml.getBytes(StandardCharsets.UTF_8), r));
            ConfigLoader.load(file, List.of()).resolve();
        });
        kinds.put("bundle", (w, r) -> {
            Path copy = w.resolve("bundle");
            Files.createDirectories(copy);
            List<Path> files;
            try (Stream<Path> s = Files.list(bundle)) {
                files = s.sorted().toList();
            }
            Path hit = files.get(r.nextInt(files.size()));
            for (Path f : files) {
                byte[] b = Files.readAllBytes(f);
                Files.write(copy.resolve(f.getFileName().toString()), f.equals(hit) ? mutate(b, r) : b);
            }
            try (NDManager m = NDManager.newBaseManager()) {
                ModelBundle.load(copy, m);
            }
        });
        List<String> names = new ArrayList<>(kinds.keySet());
        Map<String, int[]> outcome = new LinkedHashMap<>(); // kind -> {loaded, refused}
        List<String> failures = new ArrayList<>();
        long peak = 0;
        for (int c = 0; c < CASES; c++) {
            String kind = names.get(c % names.size());
            SplittableRandom rng = new SplittableRandom(1_000_003L * c + 17);
            Path work = Files.createDirectories(dir.resolve("case-" + c));
            int[] o = outcome.computeIfAbsent(kind, k -> new int[2]);
            try {
                kinds.get(kind).run(work, rng);
                o[0]++;
            } catch (TuneupException e) {
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    failures.add(kind + " case " + c + ": an error without a message: " + e);
                }
                o[1]++;
            } catch (Throwable t) { // an uncaught exception or an OutOfMemoryError is the finding
                failures.add(kind + " case " + c + ": " + t + " at " + java.util.Arrays.stream(t.getStackTrace())
                        .limit(4).map(String::valueOf).toList());
            }
            peak = Math.max(peak, heapInUse());
        }
        System.out.printf(Locale.ROOT, "fuzz: %d cases; loaded / refused with a clear error per kind: %s; %d other;"
                + " peak heap %.0f MB%n", CASES, describe(outcome), failures.size(), peak / 1048576.0);
        Map<String, Integer> byType = new java.util.TreeMap<>();
        Map<String, String> example = new java.util.TreeMap<>();
        for (String f : failures) {
            String type = f.replaceAll(" case \\d+", "").replaceAll("(Exception|Error)[:\\s].*", "$1");
            byType.merge(type, 1, Integer::sum);
            example.putIfAbsent(type, f);
        }
        assertTrue(failures.isEmpty(), failures.size() + " inputs escaped as something other than a clear error, by"
                + " kind: " + byType + "; one of each:\n" + String.join("\n", example.values()));
        assertEquals(CASES, outcome.values().stream().mapToInt(o -> o[0] + o[1]).sum());
    }

    /** An ImageFolder of valid images with one mutated image among them. */
    private static void imageFolder(Path w, SplittableRandom r, String format) throws IOException {
        for (int i = 0; i < 4; i++) {
            Fixtures.write(w, "train/" + (i % 2 == 0 ? "a" : "b") + "/" + i + "." + format,
                    Fixtures.encode(Fixtures.rgb(6, 6, 10 * i, 20, 30), format.equals("jpg") ? "jpeg" : format));
        }
        byte[] seed = Fixtures.encode(Fixtures.rgb(6, 6, 200, 100, 50), format.equals("jpg") ? "jpeg" : format);
        Fixtures.write(w, "train/a/x." + format, mutate(seed, r));
        DataSources.loadPath(w, null, LoadOptions.defaults());
    }

    private static byte[] bytes(int n, SplittableRandom r) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /**
     * One of: bit flips, truncation, an extreme 32-bit value written over a (mostly header) position,
     * inserted random bytes, a duplicated region, appended garbage.
     */
    static byte[] mutate(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        int at = b.length == 0 ? 0 : r.nextBoolean() ? r.nextInt(Math.min(b.length, 32)) : r.nextInt(b.length);
        switch (r.nextInt(6)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(8); k > 0 && b.length > 0; k--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            }
            case 2 -> {
                int[] extreme = {Integer.MAX_VALUE, -1, Integer.MIN_VALUE, 0, 65536, 1 << 30};
                int v = extreme[r.nextInt(extreme.length)];
                for (int k = 0; k < 4 && at + k < b.length; k++) {
                    b[at + k] = (byte) (v >>> (24 - 8 * k));
                }
                return b;
            }
            case 3 -> {
                byte[] extra = bytes(1 + r.nextInt(64), r);
                return splice(b, at, extra, 0);
            }
            case 4 -> {
                int len = b.length == 0 ? 0 : 1 + r.nextInt(Math.min(b.length - at, 256));
                return splice(b, at, java.util.Arrays.copyOfRange(b, at, at + len), 0);
            }
            default -> {
                return splice(b, b.length, bytes(1 + r.nextInt(4096), r), 0);
            }
        }
    }

    private static byte[] splice(byte[] b, int at, byte[] insert, int drop) {
        byte[] out = new byte[b.length + insert.length - drop];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + drop, out, at + insert.length, b.length - at - drop);
        return out;
    }

    /** An upper bound of the heap in use: the sum of every heap pool's peak since the last reset. */
    private static long heapInUse() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                used += pool.getPeakUsage().getUsed();
                pool.resetPeakUsage();
            }
        }
        return used;
    }

    private static String describe(Map<String, int[]> outcome) {
        List<String> parts = new ArrayList<>();
        outcome.forEach((k, o) -> parts.add(k + " " + o[0] + "/" + o[1]));
        return String.join(", ", parts);
    }
}
