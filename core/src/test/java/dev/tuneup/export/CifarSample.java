package dev.tuneup.export;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tuneup.data.ImageDecoder;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Real CIFAR-10 test images from the shared archive, the first few of every class; skipped where absent. */
public final class CifarSample {
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private CifarSample() {
    }

    /** {@code n} test images, spread over the ten classes in archive order. */
    public static ImageSet load(int n) throws IOException {
        Path tar = Path.of(System.getProperty("tuneup.sharedData", "../shared/data")).resolve("cifar10-jpg.tar.gz");
        assumeTrue(Files.isRegularFile(tar), "CIFAR-10 archive not found at " + tar);
        int perClass = (n + CLASSES.size() - 1) / CLASSES.size();
        int[] taken = new int[CLASSES.size()];
        List<byte[]> px = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(tar);
             TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry e;
            while (px.size() < n && (e = in.getNextEntry()) != null) {
                String[] parts = e.getName().split("/");
                if (e.isDirectory() || parts.length != 4 || !parts[1].equals("test")) {
                    continue;
                }
                int label = CLASSES.indexOf(parts[2]);
                if (label < 0 || taken[label] >= perClass) {
                    continue;
                }
                taken[label]++;
                px.add(ImageDecoder.decode(in.readAllBytes(), e.getName(), LoadOptions.defaults().withChannels(3), 32, 32)
                        .pixels());
                labels.add(label);
                sources.add(e.getName());
            }
        }
        return new ImageSet(32, 32, 3, CLASSES, px.toArray(new byte[0][]), labels.stream().mapToInt(i -> i).toArray(),
                sources.toArray(new String[0]));
    }
}
