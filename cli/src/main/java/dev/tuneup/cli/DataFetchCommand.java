package dev.tuneup.cli;

import dev.tuneup.data.DataException;
import dev.tuneup.data.DataFetch;
import dev.tuneup.data.DataSources;
import dev.tuneup.data.KnownDataset;
import dev.tuneup.workflow.DownloadBars;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tuneup data fetch}: download a named data set with checksum verification. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Download a named data set's canonical files, verify their published MD5, and unpack them.")
public final class DataFetchCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "fashion-mnist or cifar10.")
    String name;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where to put it (default ~/.cache/tuneup/data).")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        KnownDataset known = KnownDataset.byName(name);
        if (known == null) {
            throw new DataException(name, DataException.Problem.NOT_FOUND, "is not a data set tuneup can fetch",
                    "use one of " + KnownDataset.names());
        }
        Path target = dir != null ? dir : DataSources.cacheDir();
        Path existing = DataSources.locate(known, java.util.List.of(target));
        if (existing != null) {
            spec.commandLine().getOut().println(known.id() + " is already in " + existing);
            return 0;
        }
        Path where = new DataFetch().fetch(known, target, new DownloadBars(ConsoleReporter.of(spec)));
        spec.commandLine().getOut().println(known.id() + " is ready in " + where);
        return 0;
    }
}
