package dev.tuneup.export;

import ai.djl.nn.Block;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.model.Networks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bundle's network as an ONNX model (IR 8, opset 17). Input {@value #INPUT}: float32
 * {@code (batch, C, H, W)}, already preprocessed as the bundle says ({@code (x / 255 - mean) / std}
 * per channel after the bundle's resize); the batch size is symbolic. Outputs {@value #LOGITS}
 * {@code (batch, classes)} and {@value #PROBABILITIES}, {@code softmax(logits / temperature)} as
 * tuneup's Predictor computes them. The metadata (ModelProto.metadata_props) holds the class names
 * and the preprocessing as JSON, so a consumer needs nothing but the .onnx file.
 */
public final class OnnxExport {
    public static final String INPUT = "input";
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxExport() {
    }

    /** Writes {@code b} as the ONNX file {@code target}, which must not exist; returns the number of graph nodes. */
    public static int write(ModelBundle.Loaded b, Path target) {
        if (Files.exists(target)) {
            throw new TuneupException(target + " already exists", "choose a new file name; exports are never overwritten");
        }
        OnnxGraph g = new OnnxGraph();
        byte[] bytes = encode(b.model(), b.info(), g, b.dir().toString());
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".part");
            try {
                Files.write(tmp, bytes); // not createTempFile: its 0600 would make the model unreadable to a server user
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new TuneupException("cannot write " + target + ": " + e.getMessage(),
                    "check free space and permissions of " + target.toAbsolutePath().getParent(), e);
        }
        return g.nodeCount();
    }

    /** The ONNX encoding of {@code model} with {@code info}'s preprocessing, classes and temperature. */
    public static byte[] encode(Block model, ModelBundle.Info info, String source) {
        return encode(model, info, new OnnxGraph(), source);
    }

    private static byte[] encode(Block model, ModelBundle.Info info, OnnxGraph g, String source) {
        Networks.Spec net = info.network();
        if (net.model() == null) {
            throw new TuneupException(source + " has a TorchScript backbone (" + Networks.BACKBONE + "); tuneup cannot"
                    + " turn TorchScript into ONNX (DJL's PyTorch engine has no ONNX exporter, and a TorchScript module"
                    + " is code, not a layer list tuneup knows)", "serve the bundle as it is (tuneup serve, or plain DJL"
                    + " through tuneup-djl: both run TorchScript); for ONNX, fine-tune a tuneup architecture (cnn, resnet,"
                    + " resnet18, wrn) instead, or export the network from PyTorch with torch.onnx.export");
        }
        Preprocessing p = info.preprocessing();
        String logits;
        try {
            logits = new BlockMapper(g).map(model, INPUT);
        } catch (IllegalArgumentException e) {
            throw new TuneupException("cannot export " + source + " to ONNX: " + e.getMessage(),
                    "report this as a bug: every tuneup architecture should export", e);
        }
        g.op("Identity", List.of(logits), LOGITS);
        String scaled = p.temperature() == 1.0 ? LOGITS
                : g.op("Div", List.of(LOGITS, g.constant("temperature", new float[] {(float) p.temperature()})));
        g.op("Softmax", List.of(scaled), PROBABILITIES, Onnx.attr("axis", 1L));
        int k = info.classes().size();
        Proto graph = g.toGraph("tuneup_" + net.model().arch(),
                List.of(Onnx.valueInfo(INPUT, "batch", p.channels(), p.height(), p.width())),
                List.of(Onnx.valueInfo(LOGITS, "batch", k), Onnx.valueInfo(PROBABILITIES, "batch", k)));
        String version = String.valueOf(OnnxExport.class.getPackage().getImplementationVersion());
        return Onnx.model(graph, version, "tuneup " + net.describe() + " exported from " + source, metadata(info));
    }

    /** The metadata entries: class names, preprocessing, network and provenance, each as JSON. */
    static Map<String, String> metadata(ModelBundle.Info info) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            m.put("classes", JSON.writeValueAsString(info.classes()));
            m.put("preprocessing", JSON.writeValueAsString(info.preprocessing()));
            dev.tuneup.bundle.Preprocessing p = info.preprocessing();
            m.put("input_layout", "NCHW float32: decode, convert to preprocessing.channels, "
                    + (p.fit().crops() ? "scale keeping the aspect ratio so the shorter side is floor(size /"
                    + " crop_fraction), take the centre height x width (center-crop; antialiased bilinear)"
                    : "resize to height x width (" + p.resize() + ")")
                    + ", then (x / 255 - mean) / std per channel");
            m.put("network", JSON.writeValueAsString(info.network()));
            m.put("provenance", JSON.writeValueAsString(info.provenance()));
        } catch (JsonProcessingException e) {
            throw new TuneupException("cannot write the ONNX metadata: " + e.getMessage(), "report this as a bug", e);
        }
        return m;
    }
}
