package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real data sets in the team's shared folder ({@code ../shared/data}, passed by Maven as
 * {@code tuneup.sharedData}). Reported as skipped, not passed, where the data are absent.
 */
class RealDataTest {
    private static Path shared() {
        String p = System.getProperty("tuneup.sharedData", "../shared/data");
        return Path.of(p);
    }

    @Test
    void fashionMnist() {
        Path dir = shared().resolve("fashion-mnist");
        assumeTrue(Files.isDirectory(dir), "Fashion-MNIST not found at " + dir);
        Dataset d = DataSources.load("fashion-mnist", List.of(shared()), LoadOptions.defaults());
        assertEquals(KnownDataset.FASHION_MNIST.classes(), d.classes());
        assertEquals(60000, d.split("train").size());
        assertEquals(10000, d.split("test").size());
        assertArrayEquals(filled(6000), d.split("train").classCounts());
        assertArrayEquals(filled(1000), d.split("test").classCounts());
        assertEquals(28, d.split("train").height());
        assertEquals(1, d.split("train").channels());
        DataStats st = DataStats.of(d.split("train"));
        assertEquals(0.2860, st.mean()[0], 1e-4); // the published Fashion-MNIST mean and std
        assertEquals(0.3530, st.std()[0], 1e-4);
    }

    @Test
    void cifar10FromTheTarGz() {
        Path tar = shared().resolve("cifar10-jpg.tar.gz");
        assumeTrue(Files.isRegularFile(tar), "CIFAR-10 archive not found at " + tar);
        Dataset d = DataSources.load(tar.toString(), List.of(), LoadOptions.defaults());
        assertEquals(KnownDataset.CIFAR10.classes(), d.classes());
        assertEquals(50000, d.split("train").size());
        assertEquals(10000, d.split("test").size());
        assertArrayEquals(filled(5000), d.split("train").classCounts());
        assertArrayEquals(filled(1000), d.split("test").classCounts());
        assertEquals(32, d.split("train").width());
        assertEquals(3, d.split("train").channels());
        assertEquals(List.of(), d.skipped());
        DataStats st = DataStats.of(d.split("train"));
        // The published CIFAR-10 means are 0.4914, 0.4822, 0.4465; JPEG re-encoding moves them a little.
        assertArrayEquals(new double[] {0.4914, 0.4822, 0.4465}, st.mean(), 0.002);
    }

    private static int[] filled(int n) {
        int[] a = new int[10];
        java.util.Arrays.fill(a, n);
        return a;
    }
}
