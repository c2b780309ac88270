package dev.tuneup.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.tuneup.TuneupException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TorchScript model exported from PyTorch, as a trainable DJL block that outputs features [N, F]:
 * put a head after it ({@code new SequentialBlock().add(backbone).add(Linear...)}) to fine-tune it.
 *
 * <p><b>Headless.</b> A TorchScript graph is compiled code: DJL cannot cut it at an attribute such as
 * {@code fc}. "Cutting the classifier" therefore means calling a method that does not run it: by
 * default {@code forward_features} when the module has one, else {@code forward} (export with
 * {@code model.fc = torch.nn.Identity()} for that). A 4-D output [N, C, H, W] is global-average-pooled
 * to [N, C].
 *
 * <p><b>Training mode.</b> DJL's own {@link PtSymbolBlock} believes a freshly loaded module is in
 * training mode while libtorch loaded it in eval mode, so training forwards run BatchNorm in eval mode
 * until the first eval forward. This block sets the module's mode itself on every forward where it
 * changes; {@link #freezeStatistics(boolean)} keeps it in eval mode (BatchNorm uses and keeps its
 * running statistics) while gradients still flow.
 *
 * <p><b>Parameters</b> keep their TorchScript names ({@code "0.weight"}, {@code "features.1.bias"})
 * and are the module's own tensors: an optimizer updates them in place, and
 * {@code setRequiresGradient(false)} on one freezes it. BatchNorm buffers are not parameters; they
 * travel with {@link #saveParameters}, which writes the whole module (weights and buffers) as a
 * TorchScript archive. Loading replaces the module, so the parameter arrays are new objects afterwards.
 *
 * <p>The module lives as long as the manager given to {@link #load}. Forwards of one mode may run
 * concurrently; mixing training and eval forwards concurrently is not supported.
 */
public final class TorchScriptBackbone extends AbstractBlock {
    private static final byte FORMAT = 1;

    private final Path source;
    private final String method;
    private PtSymbolBlock module;
    private PtNDManager manager; // the module's
    private Map<String, Parameter> params;
    private Boolean moduleTraining; // the mode the module is in; null when unknown
    private boolean freezeStatistics;
    private final Map<Shape, Integer> featureCounts = new HashMap<>();

    private TorchScriptBackbone(Path source, String method, PtSymbolBlock module, PtNDManager manager) {
        super(FORMAT);
        this.source = source;
        this.method = method;
        adopt(module, manager, parametersOf(module, manager, null));
    }

    /** Whether {@code block} is or contains a TorchScript backbone (whose operators Java cannot see or change). */
    public static boolean within(Block block) {
        return block instanceof TorchScriptBackbone
                || block.getChildren().values().stream().anyMatch(TorchScriptBackbone::within);
    }

    /**
     * Loads a TorchScript file ({@code torch.jit.script(model).save(path)}).
     *
     * @param method the method that returns features; null picks {@code forward_features} when the
     *     module has it, else {@code forward}
     * @param manager a PyTorch manager; the module and its parameters live in it
     * @throws TuneupException when the file is not TorchScript or lacks the method
     */
    public static TorchScriptBackbone load(Path pt, String method, NDManager manager) {
        if (!(manager instanceof PtNDManager pm)) {
            throw new TuneupException("a TorchScript model needs the PyTorch engine, not " + manager.getEngine().getEngineName(),
                    "use an NDManager of the PyTorch engine (the default in tuneup)");
        }
        PtSymbolBlock module = TorchScriptArchive.load(pt, pm);
        List<String> methods = Arrays.asList(JniUtils.getMethodNames(module));
        String chosen = method != null ? method : methods.contains("forward_features") ? "forward_features" : "forward";
        if (!methods.contains(chosen)) {
            module.close();
            throw new TuneupException(pt + " has no method '" + chosen + "'; its methods are " + methods,
                    "name one of those methods, or " + TorchScriptArchive.HOW_TO_EXPORT);
        }
        return new TorchScriptBackbone(pt, chosen, module, pm);
    }

    /** The method that computes the features. */
    public String method() {
        return method;
    }

    /**
     * The loaded module, e.g. to run another exported method on it. Leave its train/eval mode alone: this
     * block tracks the mode it set and switches only when a forward needs the other one.
     */
    public PtSymbolBlock module() {
        return module;
    }

    /**
     * With {@code on}, the module always runs in eval mode: BatchNorm normalises with, and keeps, its
     * running statistics even in training forwards. Gradients still reach its parameters.
     */
    public TorchScriptBackbone freezeStatistics(boolean on) {
        freezeStatistics = on;
        return this;
    }

    public boolean statisticsFrozen() {
        return freezeStatistics;
    }

    /** The number of features F for inputs of {@code input}'s shape (batch dimension ignored); probes once per shape. */
    public int features(Shape input) {
        if (input.dimension() < 2) {
            throw new IllegalArgumentException("input shape needs a batch dimension: " + input);
        }
        Shape one = new Shape(1).addAll(input.slice(1));
        synchronized (featureCounts) {
            Integer f = featureCounts.get(one);
            if (f == null) {
                try (NDManager probe = manager.newSubManager()) {
                    f = (int) run(probe.zeros(one), false).getShape().get(1);
                } catch (ai.djl.engine.EngineException e) {
                    throw new TuneupException(source + " (" + method + ") rejects inputs of shape " + one + ": " + e.getMessage(),
                            "feed the input size the model was exported for", e);
                }
                featureCounts.put(one, f);
            }
            return f;
        }
    }

    /** Writes the module with its current weights and buffers as a TorchScript file (atomically). */
    public void save(Path pt) throws IOException {
        Path parent = pt.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = dev.tuneup.TempFiles.file(parent, pt.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, TorchScriptArchive.bytes(module));
            Files.move(tmp, pt, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(run(inputs.head(), training));
    }

    /** Runs the feature method in the mode a forward of {@code training} needs; returns [N, F]. */
    private NDArray run(NDArray x, boolean training) {
        if (!(x instanceof PtNDArray)) {
            throw new IllegalArgumentException("a TorchScript backbone needs PyTorch arrays, got " + x.getClass().getName());
        }
        mode(training && !freezeStatistics);
        NDList in = new NDList(x);
        NDArray marker = null;
        if (!"forward".equals(method)) {
            // IValueUtils.runMethod always runs under c10::InferenceMode (no gradient); forward() with this
            // marker runs any method with autograd on.
            marker = x.getManager().create(0f);
            marker.setName("module_method:" + method);
            in.add(marker);
        }
        String name = x.getName(); // a name with a dot would turn the input into a dict
        x.setName(null);
        NDList out;
        try {
            // isTrain=true in every mode: autograd then follows the gradient collector, as for any DJL
            // block, and eval outputs are ordinary tensors rather than inference tensors.
            out = IValueUtils.forward(module, in, true);
        } finally {
            x.setName(name);
            if (marker != null) {
                marker.close();
            }
        }
        if (out.size() != 1) {
            out.close();
            throw new TuneupException(source + " method '" + method + "' returned " + out.size() + " values, not one tensor",
                    "name a method that returns the features as one tensor");
        }
        NDArray y = out.head();
        if (y.getShape().dimension() == 4) {
            Shape s = y.getShape(); // DJL's PyTorch mean takes one axis: pool over H*W flattened
            y = y.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        } else if (y.getShape().dimension() != 2) {
            throw new TuneupException(source + " method '" + method + "' returned shape " + y.getShape()
                    + "; expected features [N, F] or a feature map [N, C, H, W]", TorchScriptArchive.HOW_TO_EXPORT);
        }
        return y;
    }

    private synchronized void mode(boolean train) {
        if (moduleTraining == null || moduleTraining != train) {
            if (train) {
                JniUtils.enableTrainingMode(module);
            } else {
                JniUtils.enableInferenceMode(module);
            }
            moduleTraining = train;
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), features(inputShapes[0]))};
    }

    /** Loaded weights are the initial weights: nothing to initialise beyond recording the input shape. */
    @Override
    public boolean isInitialized() {
        return true;
    }

    @Override
    public ParameterList getDirectParameters() {
        return new ParameterList(params);
    }

    /** Writes the whole module (weights and BatchNorm buffers) as a length-prefixed TorchScript archive. */
    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        byte[] archive = TorchScriptArchive.bytes(module);
        os.writeByte(FORMAT);
        os.writeLong(archive.length);
        os.write(archive);
    }

    /** Replaces the module with the saved one; which parameters are frozen carries over by name. */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        byte format = is.readByte();
        if (format != FORMAT) {
            throw new MalformedModelException("TorchScript backbone: unsupported format " + format + " (expected " + FORMAT + ")");
        }
        long length = is.readLong();
        if (length <= 0 || length > Integer.MAX_VALUE - 8) {
            throw new MalformedModelException("TorchScript backbone: bad archive length " + length);
        }
        byte[] archive = new byte[(int) length];
        is.readFully(archive);
        PtNDManager pm = manager instanceof PtNDManager m ? m : this.manager;
        PtSymbolBlock loaded;
        try {
            loaded = TorchScriptArchive.load(archive, pm);
        } catch (RuntimeException e) {
            throw new MalformedModelException("TorchScript backbone: saved archive does not load: " + e.getMessage(), e);
        }
        Map<String, Parameter> fresh = parametersOf(loaded, pm, params);
        if (!fresh.keySet().equals(params.keySet()) || !Arrays.asList(JniUtils.getMethodNames(loaded)).contains(method)) {
            loaded.close();
            throw new MalformedModelException("TorchScript backbone: the saved module (parameters " + fresh.keySet()
                    + ") does not match this one (" + params.keySet() + ", method " + method + ")");
        }
        fresh.forEach((n, par) -> par.getArray().setRequiresGradient(params.get(n).getArray().hasGradient()));
        PtSymbolBlock previous = module;
        adopt(loaded, pm, fresh);
        previous.close();
    }

    /** Makes {@code m} the module: its parameters become this block's, its mode is set on the next forward. */
    private void adopt(PtSymbolBlock m, PtNDManager owner, Map<String, Parameter> ps) {
        module = m;
        manager = owner;
        params = ps;
        moduleTraining = null;
    }

    /** The module's parameters by TorchScript name; each keeps {@code before}'s trainable flag. */
    private static Map<String, Parameter> parametersOf(PtSymbolBlock m, PtNDManager owner, Map<String, Parameter> before) {
        Map<String, Parameter> ps = new LinkedHashMap<>();
        for (NDArray a : JniUtils.moduleGetParams(m, owner)) {
            String n = a.getName();
            boolean trainable = before == null || !before.containsKey(n) || before.get(n).requiresGradient();
            ps.put(n, Parameter.builder().setName(n).setType(type(n)).optArray(a).optRequiresGrad(trainable).build());
        }
        return ps;
    }

    private static Parameter.Type type(String name) {
        if (name.endsWith("bias")) {
            return Parameter.Type.BIAS;
        }
        return name.endsWith("weight") ? Parameter.Type.WEIGHT : Parameter.Type.OTHER;
    }

    @Override
    public String toString() {
        return "TorchScriptBackbone(" + source.getFileName() + ", method=" + method + ", " + params.size() + " parameters"
                + (freezeStatistics ? ", statistics frozen" : "") + ")";
    }
}
