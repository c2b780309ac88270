package dev.tuneup.cli;

import picocli.CommandLine.IVersionProvider;

/** Version of tuneup and of the engine it bundles. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"tuneup " + dev.tuneup.Version.get() + " (DJL 0.36.0, PyTorch 2.7.1 CPU, bundled)"};
    }
}
