// Augmentation throughput per core, tuneup side. Run from the repository root:
//
//   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp cli/target/tuneup.jar bench/AugmentBench.java \
//        <cifar10-jpg.tar.gz> [--images N] [--repeats R]
//
// bench/augment.sh runs it beside bench/peer_augment.py and prints the table.
// Timed: N CIFAR-10 train images (32x32 RGB, decoded beforehand) through BatchLoader on the calling
// thread only (workers=0: one core): the augmentation pipeline per image, then uint8 -> normalised
// float32 CHW assembly into batches of 128 and one NDArray per batch. Output: JSON lines on stdout.
import ai.djl.ndarray.NDManager;
import dev.tuneup.augment.AugmentSpec;
import dev.tuneup.augment.Pipeline;
import dev.tuneup.data.DataSources;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.loader.Batch;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.loader.Normalization;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

public final class AugmentBench {
    static final String[][] CASES = {
        {"crop+flip+jitter", "crop(32,pad=4) | hflip | colorjitter(0.2,0.2,0.2)"},
        {"crop+flip", "crop(32,pad=4) | hflip"},
        {"randaugment", "crop(32,pad=4) | hflip | randaugment(n=2,m=9)"},
    };

    public static void main(String[] args) {
        String archive = args[0];
        int images = 50000;
        int repeats = 3;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--images" -> images = Integer.parseInt(args[i + 1]);
                case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ImageSet all = DataSources.load(archive, List.of(), LoadOptions.defaults()).split("train");
        int[] idx = new int[Math.min(images, all.size())];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        ImageSet set = all.subset(idx);
        Normalization norm = new Normalization(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.247f, 0.243f, 0.261f});
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String[] c : CASES) {
                Pipeline p = AugmentSpec.parse(c[1]).pipeline();
                for (int r = 0; r <= repeats; r++) { // r == 0 warms the JIT up and is not reported
                    try (BatchLoader loader = BatchLoader.builder(set).batchSize(128).workers(0).seed(r)
                            .transform(p).normalization(norm).build()) {
                        long t0 = System.nanoTime();
                        Iterator<Batch> it = loader.epoch(r, manager);
                        while (it.hasNext()) {
                            try (Batch b = it.next()) {
                                b.size();
                            }
                        }
                        double secs = (System.nanoTime() - t0) / 1e9;
                        if (r > 0) {
                            System.out.printf(Locale.ROOT, "{\"side\":\"tuneup\",\"case\":\"%s\",\"spec\":\"%s\",\"images\":%d,"
                                    + "\"seconds\":%.3f,\"images_per_s\":%.1f}%n", c[0], c[1], set.size(), secs, set.size() / secs);
                        }
                    }
                }
            }
        }
    }
}
