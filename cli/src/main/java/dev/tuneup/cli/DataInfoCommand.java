package dev.tuneup.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tuneup.data.DataSummary;
import dev.tuneup.workflow.DataLoad;
import dev.tuneup.data.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON.")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Dataset d = DataLoad.load(dataset, data.dataDirs, data.toLoadOptions(),
                new ConsoleReporter(spec.commandLine().getOut()));
        DataSummary summary = DataSummary.of(d);
        spec.commandLine().getOut().print(summary.toText());
        spec.commandLine().getOut().flush();
        if (json != null) {
            writeJson(summary, json);
        }
        return 0;
    }

    private static void writeJson(Object value, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), value);
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
