package dev.tuneup.cli;

import dev.tuneup.data.DataSummary;
import dev.tuneup.workflow.DataLoad;
import dev.tuneup.data.Dataset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tuneup data info}: counts per class and split, shape, mean/std, content hash. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Load a data set and print counts per class and split, image size and channels,"
                + " per-channel mean/std and a content hash.")
public final class DataInfoCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DATASET", description = "fashion-mnist, cifar10, or a path"
            + " (IDX folder, CIFAR binary, ImageFolder folder or .tar.gz, .csv manifest).")
    String dataset;

    @Mixin
    DataOptions data;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Dataset d = DataLoad.load(dataset, data.dataDirs, data.toLoadOptions(), ConsoleReporter.of(spec, json.text(spec)));
        DataSummary summary = DataSummary.of(d);
        java.io.PrintWriter text = json.text(spec);
        text.print(summary.toText());
        text.flush();
        json.write(spec, summary);
        return 0;
    }
}
