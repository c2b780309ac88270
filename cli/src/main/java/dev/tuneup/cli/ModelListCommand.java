package dev.tuneup.cli;

import dev.tuneup.finetune.ModelCache;
import dev.tuneup.finetune.NamedBase;
import dev.tuneup.workflow.ModelFetchWorkflow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup model list}: the named bases and whether each is in the cache. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the named pretrained bases and the cache.")
public final class ModelListCommand implements Callable<Integer> {
    @Option(names = "--cache", paramLabel = "DIR", description = "The model cache (default as for fetch).")
    Path cache;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = cache != null ? cache : ModelCache.dir();
        PrintWriter out = spec.commandLine().getOut();
        out.println("cache: " + dir);
        out.printf("%-20s %-10s %-14s %s%n", "name", "cached", "source", "base");
        for (ModelFetchWorkflow.Listed l : ModelFetchWorkflow.list(dir)) {
            NamedBase b = l.base();
            out.printf("%-20s %-10s %-14s %s%n", b.name(), l.cached() ? "yes" : "no",
                    b.downloadable() ? "fetch" : "export script", b.description());
        }
        return 0;
    }
}
