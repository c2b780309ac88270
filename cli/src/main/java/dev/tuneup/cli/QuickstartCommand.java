package dev.tuneup.cli;

import ai.djl.ndarray.NDManager;
import dev.tuneup.augment.Pipeline;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.RunConfig;
import dev.tuneup.track.RunDir;
import java.util.ArrayList;
import java.util.List;
import dev.tuneup.data.DataStats;
import dev.tuneup.data.DataSummary;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.loader.Batch;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.loader.Normalization;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tuneup quickstart}: the seed's story end to end, as far as tuneup goes today. It loads
 * CIFAR-10 from its ImageFolder archive, prints the data summary, draws an augmentation preview
 * grid, and runs one augmented epoch of the input pipeline into engine NDArrays; later steps
 * (training, evaluation, repair, serving) join as they land.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Run the main job on CIFAR-10: load and validate the data, summarise it, preview the"
                + " augmentation, feed an augmented epoch through the input pipeline. Writes a run folder under --out.")
public final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "cifar10", description = "Data set (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--out", defaultValue = "runs", description = "Folder for run folders (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for shuffling and augmentation (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--augment", paramLabel = "SPEC",
            description = "Training augmentation (default: crop(SIZE,pad=SIZE/8,mode=reflect) | hflip, SIZE the"
                    + " images' height).")
    String augment;

    @Option(names = "--epochs", defaultValue = "4", description = "Training epochs of the short run (default ${DEFAULT-VALUE}; 0 skips training).")
    int epochs;

    @Option(names = "--per-class", defaultValue = "500", description = "Training images per class for the short run (default ${DEFAULT-VALUE}).")
    int perClass;

    @Mixin
    DataOptions data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        RunDir runDir = RunDir.create(out, "quickstart");
        Path run = runDir.path();
        o.println("tuneup quickstart -> " + run);
        o.println("1. load and validate " + dataset);
        long t0 = System.nanoTime();
        Dataset d = DataInfoCommand.load(dataset, data);
        o.printf(Locale.ROOT, "   loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        DataSummary summary = DataSummary.of(d);
        o.print(summary.toText());
        runDir.writeJson("data.json", summary);

        String split = d.has(Dataset.TRAIN) ? Dataset.TRAIN : d.splits().keySet().iterator().next();
        ImageSet train = d.split(split);
        DataStats stats = DataStats.of(train);
        String spec = augment != null ? augment : "crop(" + train.height() + ",pad=" + Math.max(1, train.height() / 8)
                + ",mode=reflect) | hflip";
        Pipeline pipeline = AugmentPreviewCommand.parse(spec, this.spec);
        Path grid = run.resolve("augment-preview.png");
        AugmentPreviewCommand.write(train, pipeline, 10, 7, seed, grid);
        o.println("2. augmentation: " + pipeline);
        o.println("   preview grid -> " + grid);
        o.printf(Locale.ROOT, "3. input pipeline: one epoch of %s, augmented, in batches of %d, normalised with the"
                + " %s mean/std%n", split, batchSize, split);
        o.flush();
        try (NDManager manager = NDManager.newBaseManager();
             BatchLoader loader = BatchLoader.builder(train).batchSize(batchSize).seed(seed).transform(pipeline)
                     .normalization(Normalization.fromStats(stats.mean(), stats.std())).build();
             ProgressBar bar = Progress.bar("batches", loader.batchesPerEpoch(), "batch")) {
            long t1 = System.nanoTime();
            Iterator<Batch> it = loader.epoch(0, manager);
            double sum = 0;
            while (it.hasNext()) {
                try (Batch b = it.next()) {
                    sum += b.data().sum().getFloat();
                    bar.step();
                }
            }
            double secs = (System.nanoTime() - t1) / 1e9;
            bar.close();
            o.printf(Locale.ROOT, "   %d batches, %.0f images/s, %.0f%% of the time waiting for data,"
                            + " mean of the normalised pixels %.4f%n",
                    loader.batchesPerEpoch(), train.size() / secs, 100.0 * loader.waitNanos() / 1e9 / secs,
                    sum / ((double) train.size() * train.imageBytes()));
        }
        o.println("wrote " + run.resolve("data.json"));
        if (epochs > 0) {
            o.printf(Locale.ROOT, "4. train: a small CNN on %d images per class for %d epochs, with that augmentation%n",
                    perClass, epochs);
            List<String> sets = new ArrayList<>(List.of("data.name=" + dataset, "data.per_class=" + perClass,
                    "data.val_fraction=0.05", "augment.train=" + spec, "model.conv_widths=[32, 64, 128]",
                    "model.dense_widths=[128]", "model.head_dropout=0.2", "schedule=onecycle(max=0.05)",
                    "training.epochs=" + epochs, "training.seed=" + seed, "output.dir=" + run, "output.name=train"));
            data.dataDirs.forEach(dirName -> sets.add("data.data_dirs=[" + dirName + "]"));
            RunConfig c = ConfigLoader.load(null, sets);
            TrainRunner.Result r = TrainRunner.run(c, RunDir.create(run, "train"), false, o);
            if (r.test() != null) {
                o.printf(Locale.ROOT, "   test accuracy %.1f%% after %d epochs (run folder %s)%n", 100 * r.test()[1],
                        r.history().size(), r.dir());
            }
        }
        return 0;
    }
}
