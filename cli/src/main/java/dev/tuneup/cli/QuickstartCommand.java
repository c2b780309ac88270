package dev.tuneup.cli;

import dev.tuneup.workflow.QuickstartWorkflow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
    @Option(names = "--data", defaultValue = "cifar10", paramLabel = "DATASET",
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

    @Option(names = "--base-epochs", defaultValue = "0", description = "Epochs to pretrain the base (default: "
            + QuickstartWorkflow.BASE_EPOCHS_BF16 + " on CPUs that train in bf16, " + QuickstartWorkflow.BASE_EPOCHS_FP32
            + " elsewhere: the first run within about 7 minutes on 2 cores).")
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

    @Option(names = "--repair-epochs", defaultValue = "24",
            description = "Epochs of the final repair round (default ${DEFAULT-VALUE}; 0 skips it).")
    int repairEpochs;

    @Mixin
    DataOptions data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (batchSize < 1 || targetBatchSize < 1 || baseEpochs < 0 || epochs < 0 || perClass < 1 || evalPerClass < 0
                || repairEpochs < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch-size, --target-batch-size,"
                    + " and --per-class must be at least 1; --base-epochs (0 = the default), --epochs, --eval-per-class and"
                    + " --repair-epochs at least 0");
        }
        QuickstartWorkflow.run(new QuickstartWorkflow.Request(dataset, out, batchSize, targetBatchSize, seed, augment,
                baseEpochs, epochs, perClass, evalPerClass, repairEpochs, data.dataDirs, data.toLoadOptions()),
                ConsoleReporter.of(spec));
        return 0;
    }
}
