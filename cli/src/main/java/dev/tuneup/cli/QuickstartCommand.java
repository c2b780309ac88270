package dev.tuneup.cli;

import ai.djl.ndarray.NDManager;
import dev.tuneup.augment.Pipeline;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.data.DataException;
import dev.tuneup.data.DataSummary;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.evaluate.Tta;
import dev.tuneup.finetune.FineTuner;
import dev.tuneup.repair.Decision;
import dev.tuneup.track.AtomicFolder;
import dev.tuneup.track.RunDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tuneup quickstart}: the seed's story end to end. Load and validate CIFAR-10 (Fashion-MNIST
 * when it is absent), summarise it and preview the augmentation; pretrain a base on the first half
 * of the classes (cached for later runs); fine-tune it on the other half with a few labelled images
 * per class, augmentation and a learning rate from the LR finder; train the same target from
 * scratch with the same budget; and compare.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "The main job: pretrain a base on half of CIFAR-10's classes (cached), fine-tune it on the other"
                + " half from --per-class labelled images each, train the same from scratch, and compare. Writes a run"
                + " folder under --out.")
public final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "cifar10",
            description = "Data set (default ${DEFAULT-VALUE}; fashion-mnist when it is absent).")
    String dataset;

    @Option(names = "--out", defaultValue = "runs", description = "Folder for run folders (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size of the base (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--target-batch-size", defaultValue = "32",
            description = "Batch size on the small target set (default ${DEFAULT-VALUE}).")
    int targetBatchSize;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for everything random (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--augment", paramLabel = "SPEC",
            description = "Training augmentation (default: crop(SIZE,pad=SIZE/8,mode=reflect) | hflip).")
    String augment;

    @Option(names = "--base-epochs", defaultValue = "8", description = "Epochs to pretrain the base (default ${DEFAULT-VALUE}).")
    int baseEpochs;

    @Option(names = "--epochs", defaultValue = "12",
            description = "Fine-tuning epochs after one frozen epoch; scratch gets one more (default ${DEFAULT-VALUE}; 0"
                    + " stops after the preview).")
    int epochs;

    @Option(names = "--per-class", defaultValue = "100", description = "Labelled target images per class (default ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--eval-per-class", defaultValue = "200",
            description = "Test images per class for the final evaluation with corruptions (default ${DEFAULT-VALUE};"
                    + " 0 skips it).")
    int evalPerClass;

    @Option(names = "--repair-epochs", defaultValue = "8",
            description = "Epochs of the final repair round (default ${DEFAULT-VALUE}; 0 skips it).")
    int repairEpochs;

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
        Dataset d;
        try {
            d = DataInfoCommand.load(dataset, data);
        } catch (DataException e) {
            if (!dataset.equals("cifar10") || e.problem() != DataException.Problem.NOT_FOUND) {
                throw e;
            }
            o.println("   cifar10 is not here (" + e.getMessage().lines().findFirst().orElse("") + "); using fashion-mnist");
            dataset = "fashion-mnist";
            d = DataInfoCommand.load(dataset, data);
        }
        o.printf(Locale.ROOT, "   loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        o.print(DataSummary.of(d).toText());
        runDir.writeJson("data.json", DataSummary.of(d));

        ImageSet train = d.split(d.has(Dataset.TRAIN) ? Dataset.TRAIN : d.splits().keySet().iterator().next());
        String aug = augment != null ? augment : "crop(" + train.height() + ",pad=" + Math.max(1, train.height() / 8)
                + ",mode=reflect) | hflip";
        Pipeline pipeline = AugmentPreviewCommand.parse(aug, spec);
        Path grid = run.resolve("augment-preview.png");
        AugmentPreviewCommand.write(train, pipeline, 10, 7, seed, grid);
        o.println("2. augmentation: " + pipeline + " (preview " + grid + ")");
        if (epochs == 0) {
            return 0;
        }
        int k = train.numClasses();
        if (k < 4) {
            throw new dev.tuneup.TuneupException(dataset + " has " + k + " classes; the story needs at least 4 (half for"
                    + " the base, half for the target)", "use a data set with more classes");
        }
        String baseClasses = ids(0, k / 2);
        String targetClasses = ids(k / 2, k);
        List<String> common = new ArrayList<>(List.of("data.name=" + dataset, "data.val_fraction=0.05",
                "augment.train=" + aug, "model.conv_widths=[32, 64, 128]", "model.dense_widths=[128]",
                "model.head_dropout=0.2", "training.batch_size=" + batchSize, "training.seed=" + seed));
        if (!data.dataDirs.isEmpty()) { // one key for all folders: a second --set of the key would replace the first
            common.add("data.data_dirs=" + data.dataDirs.stream().map(Path::toString).collect(Collectors.joining(", ", "[",
                    "]")));
        }

        o.printf(Locale.ROOT, "3. base: a CNN pretrained on classes %s (%s)%n", baseClasses,
                names(train, 0, k / 2));
        Path base = base(o, common, baseClasses);

        o.printf(Locale.ROOT, "4. fine-tune on classes %s (%s) from %d labelled images per class: one epoch with the"
                + " backbone frozen, then %d with discriminative LRs (AdamW); LR from the LR finder%n", targetClasses,
                names(train, k / 2, k), perClass, epochs);
        List<String> target = new ArrayList<>(common);
        target.removeIf(x -> x.startsWith("training.batch_size="));
        target.addAll(List.of("data.classes=" + targetClasses, "data.per_class=" + perClass,
                "training.batch_size=" + targetBatchSize, "optimizer.name=adamw", "optimizer.weight_decay=0.01",
                "training.restore_best=false", "output.dir=" + run));
        List<String> ft = new ArrayList<>(target);
        // lr_mult 10 over 5 groups, not fastai's 100 over 3: the base saw other classes, so its lower layers
        // must move more; chosen on validation accuracy (docs/finetune.md)
        ft.addAll(List.of("finetune.base=" + base, "finetune.recipe=fine_tune", "finetune.freeze_epochs=1",
                "finetune.lr_mult=10", "finetune.groups=5", "training.epochs=" + epochs, "output.name=finetune"));
        FineTuner.Result tuned = FinetuneCommand.run(ConfigLoader.load(null, ft), RunDir.create(run, "finetune"), o);

        o.printf(Locale.ROOT, "5. the same target from scratch: same images, augmentation, optimizer and %d epochs;"
                + " LR from its own LR finder%n", epochs + 1);
        List<String> sc = new ArrayList<>(target);
        sc.addAll(List.of("training.epochs=" + (epochs + 1), "output.name=scratch"));
        double lr = LrFindCommand.find(ConfigLoader.load(null, sc), 1e-7, 10, 100, o).valley();
        sc.add("schedule=onecycle(max=" + (Double.isFinite(lr) ? lr : 1e-3) + ")");
        TrainRunner.Result scratch = TrainRunner.run(ConfigLoader.load(null, sc), RunDir.create(run, "scratch"), false, o);

        double a = tuned.test() == null ? Double.NaN : tuned.test()[1];
        double b = scratch.test() == null ? Double.NaN : scratch.test()[1];
        String summary = String.format(Locale.ROOT, "%n%-34s %s%n%-34s %5.1f%%%n%-34s %5.1f%%%n%-34s %+5.1f points%n",
                "test accuracy on classes " + targetClasses, "", "  fine-tuned from the base", 100 * a,
                "  from scratch, same budget", 100 * b, "  difference", 100 * (a - b));
        o.print(summary);
        runDir.write("summary.txt", summary.strip() + "\n");
        o.println("fine-tuned bundle: " + tuned.bundle());
        if (evalPerClass > 0) {
            o.printf(Locale.ROOT, "%n6. evaluate the fine-tuned bundle on %d test images per class, with flip TTA, and on"
                    + " every corruption at severities 1, 3, 5%n", evalPerClass);
            EvalRun.Options eo = new EvalRun.Options(Tta.FLIP, Corruption.parse("all"), List.of(1, 3, 5), seed, 1000);
            List<Path> dirs = data.dataDirs;
            EvalRun.Report er = EvalCommand.run(tuned.bundle(), dataset, Dataset.TEST, null, eo, evalPerClass, dirs,
                    RunDir.create(run, "eval"), o);
            String robust = String.format(Locale.ROOT, "%nfine-tuned under corruption: mean accuracy %.1f%% (clean %.1f%%,"
                    + " relative robustness %.3f)%n", 100 * er.meanCorruptionAccuracy(), 100 * er.clean().accuracy(),
                    er.relativeRobustness());
            runDir.write("summary.txt", summary.strip() + robust);
            if (repairEpochs > 0) {
                o.printf(Locale.ROOT, "%n7. one repair round: %d more epochs with augmentation aimed at the 3 weakest"
                        + " corruptions, accepted only by the regression gate%n", repairEpochs);
                List<String> rp = new ArrayList<>(target);
                rp.addAll(List.of("training.epochs=" + repairEpochs, "finetune.lr=0.0003", "output.name=repair"));
                Decision gate = RepairCommand.run(ConfigLoader.load(null, rp), tuned.bundle(), er, 3, evalPerClass, 0.01,
                        RunDir.create(run, "repair"), o);
                runDir.write("summary.txt", summary.strip() + robust + "repair round: " + (gate.accepted() ? "accepted"
                        : "rejected: " + String.join("; ", gate.reasons())) + "\n");
            }
        }
        o.println("plots: " + run + "/*/curves.png, lr-find.png; metrics: " + run + "/*/metrics.csv");
        return 0;
    }

    /** The cached base bundle for these settings, or a new one trained now. */
    private Path base(PrintWriter o, List<String> common, String classes) throws IOException {
        List<String> sets = new ArrayList<>(common);
        sets.addAll(List.of("data.classes=" + classes, "training.epochs=" + baseEpochs, "schedule=onecycle(max=0.05)"));
        String key = AtomicFolder.sha256(ConfigLoader.toYaml(ConfigLoader.load(null, sets))
                .getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        Path cache = out.resolve("quickstart-base");
        if (Files.isDirectory(cache)) {
            try (Stream<Path> s = Files.list(cache)) {
                for (Path r : s.filter(p -> p.getFileName().toString().endsWith("-" + key)).sorted().toList()) {
                    try (NDManager m = NDManager.newBaseManager()) {
                        ModelBundle.load(r.resolve("bundle"), m);
                        o.println("   cached: " + r.resolve("bundle"));
                        return r.resolve("bundle");
                    } catch (RuntimeException e) {
                        o.println("   ignoring cached base " + r + ": " + e.getMessage().lines().findFirst().orElse(""));
                    }
                }
            }
        }
        sets.addAll(List.of("output.dir=" + cache, "output.name=" + key));
        TrainRunner.Result r = TrainRunner.run(ConfigLoader.load(null, sets), RunDir.create(cache, key), false, o);
        return r.dir().resolve("bundle");
    }

    private static String ids(int from, int to) {
        return IntStream.range(from, to).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String names(ImageSet set, int from, int to) {
        return String.join(", ", set.classes().subList(from, to));
    }
}
