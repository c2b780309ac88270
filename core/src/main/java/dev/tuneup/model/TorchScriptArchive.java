package dev.tuneup.model;

import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import dev.tuneup.TuneupException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads and writes TorchScript archives for {@link TorchScriptBackbone}, and turns the ways a file can
 * fail to be one (missing, not a zip, truncated, a {@code torch.save} pickle) into errors that say how
 * to export the model properly.
 */
final class TorchScriptArchive {
    static final String HOW_TO_EXPORT = "export the model from PyTorch with torch.jit.script(model).save(path)"
            + " (torch.jit.trace also works); for a headless backbone set model.fc = torch.nn.Identity() first,"
            + " or add a @torch.jit.export def forward_features(self, x) method";

    private TorchScriptArchive() {
    }

    /** Loads {@code pt} with its parameters trainable (not as inference tensors), or explains why it cannot. */
    static PtSymbolBlock load(Path pt, PtNDManager manager) {
        check(pt);
        try {
            // trainParam=true: loaded outside c10::InferenceMode, so the parameters can take gradients.
            return JniUtils.loadModule(manager, pt, true, new String[0], new String[0], true);
        } catch (RuntimeException e) {
            throw new TuneupException(pt + " could not be loaded as TorchScript: " + e.getMessage(), HOW_TO_EXPORT, e);
        }
    }

    /** Loads a module from archive bytes (as written by {@link #bytes}). */
    static PtSymbolBlock load(byte[] archive, PtNDManager manager) throws IOException {
        // hasSize=false: the native reader then honours short reads; with a size it ignores read()'s count.
        long handle = JniUtils.loadModuleHandle(new ByteArrayInputStream(archive), manager.getDevice(), true, false);
        return new PtSymbolBlock(manager, handle);
    }

    /** The module as a TorchScript archive: its current parameters and buffers. */
    static byte[] bytes(PtSymbolBlock module) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JniUtils.writeModule(module, out, false);
        return out.toByteArray();
    }

    /** Fails with a clear message when {@code pt} is missing, not a zip, truncated, or a torch.save pickle. */
    private static void check(Path pt) {
        if (!Files.isRegularFile(pt)) {
            throw new TuneupException("TorchScript file not found: " + pt, "check the path; " + HOW_TO_EXPORT);
        }
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(pt)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            throw new TuneupException("cannot read " + pt + ": " + e.getMessage(), "check the file's permissions", e);
        }
        if (n < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
            throw new TuneupException(pt + " is not a TorchScript archive (TorchScript files are zip archives;"
                    + " this one is not)", HOW_TO_EXPORT);
        }
        boolean code = false;
        try (ZipFile zip = new ZipFile(pt.toFile())) {
            for (var it = zip.entries().asIterator(); it.hasNext() && !code; ) {
                ZipEntry e = it.next();
                code = e.getName().contains("/code/");
            }
        } catch (IOException e) {
            throw new TuneupException(pt + " is not a readable TorchScript archive (truncated or corrupt: "
                    + e.getMessage() + ")", "copy or export the file again; " + HOW_TO_EXPORT, e);
        }
        if (!code) {
            throw new TuneupException(pt + " holds no TorchScript code: it was saved with torch.save"
                    + " (a state_dict or a pickled module), which only Python can rebuild", HOW_TO_EXPORT);
        }
    }
}
