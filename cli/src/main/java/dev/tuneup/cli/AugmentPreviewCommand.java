package dev.tuneup.cli;

import dev.tuneup.augment.AugmentSpec;
import dev.tuneup.augment.Pipeline;
import dev.tuneup.data.Dataset;
import dev.tuneup.data.ImageSet;
import dev.tuneup.workflow.AugmentPreview;
import dev.tuneup.workflow.DataLoad;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup augment preview}: a PNG grid of originals and augmented draws. */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = "Write a PNG grid: originals in the first column, augmented draws beside each.")
public final class AugmentPreviewCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DATASET", description = "Data set name or path.")
    String dataset;

    @Option(names = "--augment", required = true, paramLabel = "SPEC",
            description = "Augmentation spec, e.g. \"crop(32,pad=4,mode=reflect) | hflip | randaugment(n=2,m=9)\".")
    String augment;

    @Option(names = "--to", defaultValue = "augment-preview.png", paramLabel = "FILE.png",
            description = "PNG to write (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--split", defaultValue = "train", description = "Split to draw from (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--rows", defaultValue = "10", description = "Images, one class after another (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--draws", defaultValue = "7", description = "Augmented draws per image (default ${DEFAULT-VALUE}).")
    int draws;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DataOptions data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Pipeline pipeline = Usage.parse(spec, "--augment", augment, a -> AugmentSpec.parse(a).pipeline());
        Dataset d = DataLoad.load(dataset, data.dataDirs, data.toLoadOptions(),
                ConsoleReporter.of(spec));
        ImageSet set = d.has(split) ? d.split(split) : d.split(d.splits().keySet().iterator().next());
        AugmentPreview.write(set, pipeline, rows, draws, seed, out);
        spec.commandLine().getOut().println("wrote " + out + " (" + pipeline + ")");
        return 0;
    }
}
