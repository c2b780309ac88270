package dev.tuneup.cli;

import dev.tuneup.config.ResolvedRun;
import dev.tuneup.track.RunDir;
import dev.tuneup.workflow.FinetuneWorkflow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup finetune}: adapt a base model to a data set with a recipe, into a new run folder. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a base model (bundle folder, run folder, TorchScript .pt or named base) on a data set with a recipe"
                + " (see docs/finetune.md). Writes runs/<time>-<name>/ with metrics, plots and a bundle.")
public final class FinetuneCommand implements Callable<Integer> {
    @Option(names = "--base", paramLabel = "BASE", description = "Bundle folder, run folder, TorchScript .pt file or a"
            + " named base from tuneup model list (finetune.base).")
    String base;

    @Option(names = "--recipe", description = "linear_probe, full, fine_tune (default), llrd or gradual (finetune.recipe).")
    String recipe;

    @Mixin
    ConfigOptions configs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ResolvedRun run = configs.load(c -> c.withFinetune(c.finetune().withBase(base != null ? base : c.finetune().base())
                .withRecipe(recipe != null ? recipe : c.finetune().recipe()))).resolve();
        RunDir dir = RunDir.create(Path.of(run.config().output().dir()), run.config().output().name());
        FinetuneWorkflow.run(run, dir, ConsoleReporter.of(spec));
        return 0;
    }
}
