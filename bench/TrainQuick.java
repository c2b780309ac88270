// Quick check of training speed and memory: ResNet-<depth> on 20 batches of 128 random 3x32x32 images per
// epoch, 5 epochs, printing img/s, RSS and live NDArrays after each epoch. Run from the repository root:
//   MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967296 java -Dai.djl.offline=true \
//     -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 -cp cli/target/tuneup.jar bench/TrainQuick.java 20
// The peer for the same work: /usr/bin/python3 bench/peer_train.py --model resnet20 --batches 20
import ai.djl.ndarray.*; import ai.djl.ndarray.types.*; import ai.djl.nn.*; import dev.tuneup.data.ImageSet; import dev.tuneup.loader.BatchLoader;
import dev.tuneup.model.*; import dev.tuneup.train.*; import java.nio.file.*; import java.util.*;
public class TrainQuick { public static void main(String[] a) throws Exception {
  int n = 128 * 20; SplittableRandom r = new SplittableRandom(1); byte[][] px = new byte[n][3072]; int[] lb = new int[n]; String[] src = new String[n];
  for (int i = 0; i < n; i++) { r.nextBytes(px[i]); lb[i] = i % 10; src[i] = "" + i; }
  ImageSet set = new ImageSet(32, 32, 3, List.of("0","1","2","3","4","5","6","7","8","9"), px, lb, src);
  try (NDManager m = NDManager.newBaseManager()) {
    Block b = Models.build(ModelSpec.resnet(Integer.parseInt(a[0]), 3, 32, 10));
    b.setInitializer(new ai.djl.training.initializer.XavierInitializer(), Parameter.Type.WEIGHT);
    b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
    TrainingSession s = new TrainingSession(b, m, Optimizers.sgd(0.9, false, false), Schedule.constant(0.05), 5e-4, x -> false,
        BatchLoader.builder(set).batchSize(128).workers(1).build(), null, TrainConfig.defaults(5, 1), new Checkpoints(Files.createTempDirectory("ck"), 2));
    new FitLoop(s, List.of(new FitListener() { public void onEpochEnd(EpochMetrics e) {
      System.gc();
      try { String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS")).findFirst().get();
        System.out.printf("epoch %d %.0f img/s %s arrays=%d%n", e.epoch(), e.imagesPerSecond(), rss, m.getManagedArrays().size()); } catch (Exception ex) {}
    }})).run();
  }
}}
