package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import dev.tuneup.TuneupException;
import dev.tuneup.augment.Pipeline;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.config.ConfigLoader;
import dev.tuneup.config.ResolvedRun;
import dev.tuneup.config.RunConfig;
import dev.tuneup.data.DataException;
import dev.tuneup.data.DataSummary;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.EvalRun;
import dev.tuneup.evaluate.Tta;
import dev.tuneup.track.AtomicFolder;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.Lineage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@code tuneup quickstart}: the seed's story end to end. Load and validate CIFAR-10 (Fashion-MNIST
 * when it is absent), summarise it and preview the augmentation; pretrain a base on the first half
 * of the classes (cached for later runs); fine-tune it on the other half with a few labelled images
 * per class, augmentation and a learning rate from the LR finder; train the same target from
 * scratch with the same budget; compare; evaluate under corruption; one gated repair round.
 */
public final class QuickstartWorkflow {
    /**
     * The base's default epochs where training runs in bf16 ({@link dev.tuneup.model.Bf16#cpuSupports()}) and
     * where it does not: a first run of 6.5 to 7.5 minutes on a 2-core machine either way. 40 had the best
     * validation accuracy of 25, 35 and 40, for the base and for the fine-tuned model (docs/finetune.md).
     */
    public static final int BASE_EPOCHS_BF16 = 40;
    public static final int BASE_EPOCHS_FP32 = 8;

    /** The repair round's peak learning rate: the best of 0.0003 and 0.001 on the selection split (docs/repair.md). */
    static final double REPAIR_LR = 0.001;

    /**
     * The story's knobs; see {@code tuneup quickstart --help}.
     *
     * @param augment the training augmentation, or null for crop(SIZE,pad=SIZE/8,mode=reflect) | hflip
     * @param baseEpochs epochs to pretrain the base; 0 picks {@link #BASE_EPOCHS_BF16} or {@link #BASE_EPOCHS_FP32}
     * @param epochs  fine-tuning epochs after one frozen epoch (0 stops after the preview)
     */
    public record Request(String dataset, Path out, int batchSize, int targetBatchSize, long seed, String augment,
                          int baseEpochs, int epochs, int perClass, int evalPerClass, int repairEpochs,
                          List<Path> dataDirs, LoadOptions load) {
    }

    /** The comparison; fields are NaN or null for the steps that did not run; {@code report} is the HTML page. */
    public record Result(Path dir, double finetuned, double scratch, Path bundle, EvalRun.Report eval,
                         RepairWorkflow.Result repair, Path report) {
    }

    private QuickstartWorkflow() {
    }

    public static Result run(Request q, Reporter o) throws IOException {
        RunDir runDir = RunDir.create(q.out(), "quickstart");
        return Tracked.run(runDir, RunKind.QUICKSTART, List.of(), () -> story(q, runDir, o), r -> Tracked.Outcome
                .finished(Double.isNaN(r.finetuned()) ? "" : String.format(Locale.ROOT, "test accuracy fine-tuned %.4f,"
                        + " from scratch %.4f", r.finetuned(), r.scratch())));
    }

    private static Result story(Request q, RunDir runDir, Reporter o) throws IOException {
        Path run = runDir.path();
        o.line("tuneup quickstart -> " + run);
        String dataset = q.dataset();
        o.line("1. load and validate " + dataset);
        long t0 = System.nanoTime();
        Dataset d;
        try {
            d = DataLoad.load(dataset, q.dataDirs(), q.load(), o);
        } catch (DataException e) {
            if (!dataset.equals("cifar10") || e.problem() != DataException.Problem.NOT_FOUND) {
                throw e;
            }
            o.line("   cifar10 is not here (" + e.getMessage().lines().findFirst().orElse("") + "); using fashion-mnist");
            dataset = "fashion-mnist";
            d = DataLoad.load(dataset, q.dataDirs(), q.load(), o);
        }
        o.line(String.format(Locale.ROOT, "   loaded in %.1f s", (System.nanoTime() - t0) / 1e9));
        o.block(DataSummary.of(d).toText());
        runDir.writeJson("data.json", DataSummary.of(d));

        ImageSet train = d.split(d.has(Dataset.TRAIN) ? Dataset.TRAIN : d.splits().keySet().iterator().next());
        String aug = q.augment() != null ? q.augment() : "crop(" + train.height() + ",pad="
                + Math.max(1, train.height() / 8) + ",mode=reflect) | hflip";
        Pipeline pipeline = AugmentPreview.parse(aug);
        Path grid = run.resolve("augment-preview.png");
        AugmentPreview.write(train, pipeline, 10, 7, q.seed(), grid);
        o.line("2. augmentation: " + pipeline + " (preview " + grid + ")");
        if (q.epochs() == 0) {
            return new Result(run, Double.NaN, Double.NaN, null, null, null, report(run, o));
        }
        int k = train.numClasses();
        if (k < 4) {
            throw new TuneupException(dataset + " has " + k + " classes; the story needs at least 4 (half for the base,"
                    + " half for the target)", "use a data set with more classes");
        }
        List<Integer> baseClasses = ids(0, k / 2);
        List<Integer> targetClasses = ids(k / 2, k);
        RunConfig defaults = ConfigLoader.load(null, List.of());
        RunConfig common = defaults
                .withData(defaults.data().withName(dataset).withValFraction(0.05)
                        .withDataDirs(q.dataDirs().stream().map(Path::toString).toList()))
                .withAugment(aug).withModel(defaults.model().withCnn(List.of(32, 64, 128), List.of(128), 0.2))
                .withTraining(defaults.training().withBatchSize(q.batchSize()).withSeed(q.seed()));

        int baseEpochs = q.baseEpochs() > 0 ? q.baseEpochs()
                : dev.tuneup.model.Bf16.resolve(common.training().precision()) ? BASE_EPOCHS_BF16 : BASE_EPOCHS_FP32;
        o.line(String.format(Locale.ROOT, "3. base: a CNN pretrained on classes %s (%s), %d epochs", baseClasses,
                names(train, 0, k / 2), baseEpochs));
        Path base = base(q, common, baseClasses, baseEpochs, o);

        o.line(String.format(Locale.ROOT, "4. fine-tune on classes %s (%s) from %d labelled images per class: one epoch"
                + " with the backbone frozen, then %d with discriminative LRs (AdamW); LR from the LR finder",
                targetClasses, names(train, k / 2, k), q.perClass(), q.epochs()));
        RunConfig target = common.withData(common.data().withClasses(targetClasses).withPerClass(q.perClass()))
                .withTraining(common.training().withBatchSize(q.targetBatchSize()).withRestoreBest(false))
                .withOptimizer(common.optimizer().with("adamw", 0.01)).withOutput(run.toString(), "run");
        // lr_mult 10 over 5 groups, not fastai's 100 over 3: the base saw other classes, so its lower layers
        // must move more; chosen on validation accuracy (docs/finetune.md)
        RunConfig ft = target.withFinetune(target.finetune().withBase(base.toString()).withRecipe("fine_tune")
                        .withDiscriminative(1, 10, 5))
                .withTraining(target.training().withEpochs(q.epochs())).withOutput(run.toString(), "finetune");
        FinetuneWorkflow.Result tuned = FinetuneWorkflow.run(ft.resolve(), RunDir.create(run, "finetune"), o);

        o.line(String.format(Locale.ROOT, "5. the same target from scratch: same images, augmentation, optimizer and %d"
                + " epochs; LR from its own LR finder", q.epochs() + 1));
        RunConfig sc = target.withTraining(target.training().withEpochs(q.epochs() + 1)).withOutput(run.toString(),
                "scratch");
        double lr = LrFindWorkflow.run(sc.resolve(), LrFindWorkflow.Sweep.DEFAULT, o).valley();
        sc = sc.withSchedule("onecycle(max=" + (Double.isFinite(lr) ? lr : 1e-3) + ")");
        TrainWorkflow.Result scratch = TrainWorkflow.train(sc.resolve(), RunDir.create(run, "scratch"), o);

        double a = tuned.test() == null ? Double.NaN : tuned.test().accuracy();
        double b = scratch.test() == null ? Double.NaN : scratch.test().accuracy();
        String summary = String.format(Locale.ROOT, "%n%-34s %s%n%-34s %5.1f%%%n%-34s %5.1f%%%n%-34s %+5.1f points%n",
                "test accuracy on classes " + targetClasses, "", "  fine-tuned from the base", 100 * a,
                "  from scratch, same budget", 100 * b, "  difference", 100 * (a - b));
        o.block(summary);
        runDir.write("summary.txt", summary.strip() + "\n");
        o.line("fine-tuned bundle: " + tuned.bundle());
        EvalRun.Report er = null;
        RepairWorkflow.Result gate = null;
        if (q.evalPerClass() > 0) {
            o.line(String.format(Locale.ROOT, "%n6. evaluate the fine-tuned bundle on %d test images per class, with flip"
                    + " TTA, and on every corruption at severities 1, 3, 5", q.evalPerClass()));
            EvalRun.Options eo = new EvalRun.Options(Tta.FLIP, Corruption.parse("all"), List.of(1, 3, 5), q.seed(), 1000);
            er = EvalWorkflow.run(new EvalWorkflow.Request(tuned.bundle(), dataset, Dataset.TEST, null, eo,
                    q.evalPerClass(), q.dataDirs()), RunDir.create(run, "eval"), o);
            String robust = String.format(Locale.ROOT, "%nfine-tuned under corruption: mean accuracy %.1f%% (clean %.1f%%,"
                    + " relative robustness %.3f)%n", 100 * er.meanCorruptionAccuracy(), 100 * er.clean().accuracy(),
                    er.relativeRobustness());
            runDir.write("summary.txt", summary.strip() + robust);
            if (q.repairEpochs() > 0) {
                o.line(String.format(Locale.ROOT, "%n7. one repair round: %d more epochs with augmentation aimed at every"
                        + " corruption (half the images replayed clean), mixed with the current model in weight space"
                        + " (WiSE-FT); every choice and the gate on the validation split, the test split reported after",
                        q.repairEpochs()));
                RunConfig rp = target.withTraining(target.training().withEpochs(q.repairEpochs()))
                        .withFinetune(target.finetune().withLr(REPAIR_LR)).withOutput(run.toString(), "repair");
                RunDir repairDir = RunDir.create(run, "repair");
                ResolvedRun repair = rp.resolve();
                Path from = tuned.bundle();
                EvalRun.Report testBefore = er;
                gate = Tracked.run(repairDir, RunKind.REPAIR, List.of(Lineage.to(Lineage.SOURCE, from)),
                        () -> RepairWorkflow.augment(repair, RepairWorkflow.images(repair, from, repairDir, o), from, null,
                                testBefore, RepairWorkflow.Aim.defaults(), q.evalPerClass(), 0.01,
                                repairDir, o), RepairWorkflow::outcome);
                runDir.write("summary.txt", summary.strip() + robust + "repair round: " + (gate.accepted() ? "accepted"
                        : "rejected: " + String.join("; ", gate.decision().reasons())) + "\n");
            }
        }
        o.line("plots: " + run + "/*/curves.png, lr-find.png; metrics: " + run + "/*/metrics.csv");
        return new Result(run, a, b, tuned.bundle(), er, gate, report(run, o));
    }

    /** The story as one HTML page; its path is the last line printed. */
    private static Path report(Path run, Reporter o) throws IOException {
        Path file = ReportWorkflow.run(new ReportWorkflow.Request(run, null)).file();
        o.line("report: " + file);
        return file;
    }

    /** The cached base bundle for these settings, or a new one trained now. */
    private static Path base(Request q, RunConfig common, List<Integer> classes, int epochs, Reporter o) {
        RunConfig c = common.withData(common.data().withClasses(classes))
                .withTraining(common.training().withEpochs(epochs)).withSchedule("onecycle(max=0.05)");
        String key = AtomicFolder.sha256(ConfigLoader.toYaml(c).getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        Path cache = q.out().resolve("quickstart-base");
        if (Files.isDirectory(cache)) {
            try (Stream<Path> s = Files.list(cache)) {
                for (Path r : s.filter(p -> p.getFileName().toString().endsWith("-" + key)).sorted().toList()) {
                    try (NDManager m = NDManager.newBaseManager()) {
                        ModelBundle.load(r.resolve("bundle"), m);
                        o.line("   cached: " + r.resolve("bundle"));
                        return r.resolve("bundle");
                    } catch (RuntimeException e) {
                        o.line("   ignoring cached base " + r + ": " + e.getMessage().lines().findFirst().orElse(""));
                    }
                }
            } catch (IOException e) {
                o.line("   cannot list the base cache " + cache + ": " + e.getMessage());
            }
        }
        c = c.withOutput(cache.toString(), key);
        return TrainWorkflow.train(c.resolve(), RunDir.create(cache, key), o).dir().resolve("bundle");
    }

    private static List<Integer> ids(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private static String names(ImageSet set, int from, int to) {
        return String.join(", ", set.classes().subList(from, to));
    }
}
