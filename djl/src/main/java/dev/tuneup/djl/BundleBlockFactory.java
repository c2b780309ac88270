package dev.tuneup.djl;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.tuneup.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * DJL's hook for models whose network is code: rebuilds the bundle's network in the model's manager
 * and loads {@code weights.params}, after verifying every file against the bundle's manifest.
 */
public final class BundleBlockFactory implements BlockFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        Path dir = Files.isRegularFile(modelPath) ? modelPath.getParent() : modelPath;
        return new BundleNetwork(ModelBundle.load(dir, model.getNDManager()));
    }
}
