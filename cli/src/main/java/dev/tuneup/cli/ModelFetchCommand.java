package dev.tuneup.cli;

import dev.tuneup.data.Download;
import dev.tuneup.finetune.ModelCache;
import dev.tuneup.workflow.ModelFetchWorkflow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tuneup model fetch}: download a named base into the model cache, checksummed. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Download a named pretrained base (tuneup model list) into the model cache, verified against"
                + " its publisher's checksum; then --base NAME uses it. Environment: TUNEUP_MODEL_CACHE (the cache),"
                + " TUNEUP_MODEL_MIRROR (replaces the download address's scheme and host).")
public final class ModelFetchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "A named base, e.g. resnet18.")
    String name;

    @Option(names = "--cache", paramLabel = "DIR", description = "The model cache (default $TUNEUP_MODEL_CACHE,"
            + " $XDG_CACHE_HOME/tuneup/models or ~/.cache/tuneup/models).")
    Path cache;

    @Option(names = "--mirror", paramLabel = "URL", description = "Fetch from this mirror: it replaces the address's"
            + " scheme and host (default $TUNEUP_MODEL_MIRROR).")
    String mirror;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = cache != null ? cache : ModelCache.dir();
        ModelFetchWorkflow.Result r = ModelFetchWorkflow.fetch(name, dir, mirror != null ? mirror : ModelCache.mirror(),
                Download.client(),
                ConsoleReporter.of(spec));
        spec.commandLine().getOut().println(r.base().name() + (r.downloaded() ? " is ready in " : " is already in ")
                + r.file() + "; use it with --base " + r.base().name());
        return 0;
    }
}
