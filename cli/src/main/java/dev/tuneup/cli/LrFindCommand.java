package dev.tuneup.cli;

import dev.tuneup.workflow.LrFindWorkflow;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup lr-find}: fastai's learning-rate range test for a run config. */
@Command(name = "lr-find", mixinStandardHelpOptions = true,
        description = "Sweep the learning rate exponentially over some batches of a run config's training data, stop"
                + " on divergence, restore the weights, suggest a rate and plot loss against LR (lr-find.png).")
public final class LrFindCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configs;

    @Option(names = "--start", defaultValue = "1e-7", description = "First LR (default ${DEFAULT-VALUE}).")
    double start;

    @Option(names = "--end", defaultValue = "10", description = "Last LR (default ${DEFAULT-VALUE}).")
    double end;

    @Option(names = "--steps", defaultValue = "100", description = "Batches in the sweep (default ${DEFAULT-VALUE}).")
    int steps;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!(start > 0 && end > start && steps >= 2)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--start must be > 0, --end above it and"
                    + " --steps at least 2");
        }
        LrFindWorkflow.run(configs.resolve(), new LrFindWorkflow.Sweep(start, end, steps),
                ConsoleReporter.of(spec));
        return 0;
    }
}
