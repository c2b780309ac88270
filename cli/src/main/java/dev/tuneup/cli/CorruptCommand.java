package dev.tuneup.cli;

import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.evaluate.Corruption;
import dev.tuneup.evaluate.CorruptionFormat;
import dev.tuneup.evaluate.CorruptionWriter;
import dev.tuneup.workflow.DataLoad;
import dev.tuneup.workflow.Reporter;
import dev.tuneup.evaluate.Corruptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup corrupt}: writes corrupted copies of a split (CIFAR-10-C / MNIST-C style) to disk. */
@Command(name = "corrupt", mixinStandardHelpOptions = true,
        description = {"Write corrupted copies of a data set split, one folder per corruption and severity"
                + " (OUT/<corruption>/<severity>/), each loadable as a data set by every tuneup command."},
        footer = {"", "Finished folders are kept when rerun with the same data and settings, so an interrupted run"
                + " resumes; see docs/corruptions.md."})
public final class CorruptCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DATASET", description = "Data set name or path.")
    String dataset;

    @Option(names = "--split", defaultValue = "test", description = "Split to corrupt (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--corruptions", defaultValue = "all", paramLabel = "all|a,b,c",
            description = "all (default), or a comma list of: ${COMPLETION-CANDIDATES}.", completionCandidates = Names.class)
    String corruptions;

    @Option(names = "--severities", defaultValue = "1-5", paramLabel = "1-5|1,3,5",
            description = "Severities, 1 (mild) to 5 (severe) (default ${DEFAULT-VALUE}); invert has one level.")
    String severities;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "Folder to write the corrupted data set"
            + " into.")
    Path out;

    @Option(names = "--format", defaultValue = "imagefolder", paramLabel = "imagefolder|idx",
            description = "imagefolder (PNG per image, default) or idx (MNIST's gzipped IDX, 1-channel data only).")
    String format;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random corruptions (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DataOptions data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Corruption> chosen = Usage.parse(spec, "--corruptions", corruptions, Corruption::parse);
        List<Integer> levels = Usage.parse(spec, "--severities", severities, Corruptions::parseSeverities);
        CorruptionFormat fmt = Usage.parse(spec, "--format", format, CorruptionFormat::byId);
        ConsoleReporter reporter = ConsoleReporter.of(spec);
        Dataset d = DataLoad.load(dataset, data.dataDirs, data.toLoadOptions(), reporter);
        ImageSet set = d.split(split);
        CorruptionWriter writer = new CorruptionWriter(out, set, d.name() + ":" + split, seed, fmt);
        long todo = 0;
        for (Corruption c : chosen) {
            for (int s : CorruptionWriter.severities(c, levels)) {
                todo += writer.isDone(c, s) ? 0 : set.size();
            }
        }
        int written = 0;
        int kept = 0;
        try (Reporter.Progress bar = reporter.progress("corrupt", todo, "img")) {
            Runnable step = () -> {
                synchronized (bar) {
                    bar.step();
                }
            };
            for (Corruption c : chosen) {
                for (int s : CorruptionWriter.severities(c, levels)) {
                    bar.message(" " + c.id() + "/" + s);
                    if (writer.write(c, s, step)) {
                        written++;
                    } else {
                        kept++;
                    }
                }
            }
        }
        writer.writeIndex(chosen, levels);
        var o = spec.commandLine().getOut();
        o.println("wrote " + written + " folder(s) of " + set.size() + " images (" + set.height() + "x" + set.width()
                + "x" + set.channels() + ", " + fmt.id() + ") to " + out
                + (kept > 0 ? "; kept " + kept + " finished folder(s)" : ""));
        Corruption first = chosen.get(0);
        o.println("load one with: tuneup data info --data " + writer.folder(first, CorruptionWriter.severities(first, levels).get(0))
                + (fmt == CorruptionFormat.IMAGEFOLDER ? " --classes " + out.resolve("classes.txt")
                + (set.channels() == 1 ? " --channels 1" : "") : ""));
        o.flush();
        return 0;
    }

    /** The corruption ids, for the help text. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Corruption.values()).map(Corruption::id).iterator();
        }
    }
}
