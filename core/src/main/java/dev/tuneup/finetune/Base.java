package dev.tuneup.finetune;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.TorchScriptBackbone;
import dev.tuneup.train.RunExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pretrained model to fine-tune from: a tuneup bundle, a tuneup run folder (its best
 * checkpoint), a TorchScript file exported from PyTorch, or a named base from the model cache
 * ({@link NamedBase}). {@link #adapt} puts a new head for the target classes on it.
 *
 * @param bundle        the base as a bundle, or null for TorchScript
 * @param torchscript   the TorchScript file, or null
 * @param preprocessing the base's preprocessing (null for a TorchScript file without metadata: the target
 *                      data's statistics are used)
 * @param metadata      a TorchScript base's {@link BaseMetadata} ({@code tuneup.json} or the named base's), or null
 */
public record Base(String description, ModelBundle.Loaded bundle, Path torchscript, Preprocessing preprocessing,
                   BaseMetadata metadata) {

    /** Names DJL's model zoo would resolve; tuneup downloads nothing at run time. */
    private static final List<String> ZOO_HINTS = List.of("resnet", "mobilenet", "efficientnet", "vgg", "densenet",
            "djl://", "timm/");

    /** Loads {@code base} (a bundle folder, a run folder, a {@code .pt} file or a named base) into {@code manager}. */
    public static Base load(String base, NDManager manager, List<String> warnings) {
        return load(base, null, ModelCache.dir(), manager, warnings);
    }

    /**
     * As {@link #load(String, NDManager, List)}; a TorchScript base is also checked for a whole exported
     * classifier now, before any data is loaded, through {@code method} (null: the default).
     */
    public static Base load(String base, String method, NDManager manager, List<String> warnings) {
        return load(base, method, ModelCache.dir(), manager, warnings);
    }

    /** As {@link #load(String, String, NDManager, List)}, with named bases looked up in {@code cache}. */
    public static Base load(String base, String method, Path cache, NDManager manager, List<String> warnings) {
        Base b = load(base, cache, manager, warnings);
        if (b.torchscript != null) {
            b.refuseWholeModel(method, manager);
        }
        return b;
    }

    /** As {@link #load(String, NDManager, List)}, with named bases looked up in {@code cache}. */
    public static Base load(String base, Path cache, NDManager manager, List<String> warnings) {
        if (base == null || base.isBlank()) {
            throw new TuneupException("no base model given", "set finetune.base (or --base) to a bundle folder, a run"
                    + " folder, a TorchScript .pt file or a named base (" + NamedBase.names() + ")");
        }
        Path p = Path.of(base);
        if (Files.isRegularFile(p)) {
            return torchscript("TorchScript " + p.getFileName(), p, null);
        }
        if (Files.isDirectory(p) && Files.isRegularFile(p.resolve(ModelBundle.MODEL))) {
            ModelBundle.Loaded b = ModelBundle.load(p, manager);
            return new Base("bundle " + p, b, null, b.info().preprocessing(), null);
        }
        if (Files.isDirectory(p) && Files.isRegularFile(p.resolve(RunExport.INFO))) {
            ModelBundle.Loaded b = RunExport.load(p, RunExport.Which.BEST, manager, warnings);
            return new Base("run " + p + " (best checkpoint)", b, null, b.info().preprocessing(), null);
        }
        if (Files.exists(p)) {
            throw new TuneupException(p + " is neither a bundle, a run folder nor a TorchScript file",
                    "pass the bundle folder tuneup train wrote (<run>/bundle), the run folder, or a .pt file");
        }
        NamedBase named = NamedBase.byName(base);
        if (named != null) {
            Path file = named.file(cache);
            if (!Files.isRegularFile(file)) {
                throw new TuneupException("the named base " + named.name() + " is not in the model cache " + cache,
                        named.downloadable() ? "run tuneup model fetch " + named.name() + " (once, with internet)"
                                : "export it once with PyTorch: " + named.scriptLine(file) + "   or: "
                                + named.exportLine(file));
            }
            return torchscript("named base " + named.name() + " (" + file + ")", file, named.metadata());
        }
        String lower = base.toLowerCase(Locale.ROOT);
        boolean looksLikePath = base.contains("/") || base.contains(java.io.File.separator) || lower.endsWith(".pt");
        if (!looksLikePath && ZOO_HINTS.stream().anyMatch(lower::contains)) {
            throw new TuneupException("'" + base + "' is not a base tuneup knows by name (" + NamedBase.names()
                    + "), and tuneup never downloads models at run time", "export it once with PyTorch, e.g."
                    + " python3 scripts/export_torchvision_base.py resnet18 --weights default --output resnet18.pt"
                    + " (or: m = torchvision.models.resnet18(weights='DEFAULT'); m.fc = torch.nn.Identity();"
                    + " torch.jit.script(m).save('resnet18.pt')), then --base resnet18.pt");
        }
        throw new TuneupException("base model " + p + " does not exist", "check the path");
    }

    /** The file or folder {@code base} names: a named base's cached file, else the path as given (for lineage). */
    public static Path path(String base) {
        Path p = Path.of(base);
        NamedBase named = Files.exists(p) ? null : NamedBase.byName(base);
        return named == null ? p : named.file(ModelCache.dir());
    }

    /**
     * Fails now when the TorchScript base is a whole classifier (see {@link WholeModel}), probing at its
     * metadata's size, else at 224 px; a module that rejects that size is left to {@link #adapt}, which
     * checks again at the data's size.
     */
    private void refuseWholeModel(String method, NDManager manager) {
        int size = metadata != null ? metadata.size() : 224;
        String m = method != null ? method : metadata != null ? metadata.method() : null;
        try (NDManager probe = manager.newSubManager()) {
            TorchScriptBackbone bb = TorchScriptBackbone.load(torchscript, m, probe);
            int features;
            try {
                features = bb.features(new Shape(1, 3, size, size));
            } catch (TuneupException e) {
                return; // not a 3-channel size-px model: adapt checks on the real input
            }
            WholeModel.refuseClassifier(bb, torchscript, features);
        }
    }

    /** A TorchScript base: its own {@code tuneup.json} when it has one, else {@code fallback} (may be null). */
    private static Base torchscript(String description, Path file, BaseMetadata fallback) {
        BaseMetadata own = BaseMetadata.read(file);
        BaseMetadata m = own != null ? own : fallback;
        return new Base(description, null, file, m == null ? null : m.preprocessing(), m);
    }

    /**
     * The base for {@code classNames} on {@code channels x h x w} inputs: every parameter is copied
     * from the base except the head, which is new and seeded, unless the base already predicts
     * exactly these classes in this order (continued fine-tuning, e.g. a repair): then its head is kept.
     *
     * @param headHidden a TorchScript base's MLP head widths (fastai's {@code lin_ftrs}); empty for a linear head
     * @param method the TorchScript method giving features (null: the metadata's, else forward_features if
     *     present, else forward)
     */
    public Adapted adapt(List<String> classNames, int channels, int h, int w, double headDropout,
                         List<Integer> headHidden, String method, NDManager manager, long seed) {
        int classes = classNames.size();
        boolean sameClasses = bundle != null && bundle.info().classes().equals(classNames);
        if (bundle == null) {
            String m = method != null ? method : metadata != null ? metadata.method() : null;
            TorchScriptBackbone bb = TorchScriptBackbone.load(torchscript, m, manager);
            int features = bb.features(new Shape(1, channels, h, w));
            WholeModel.refuseClassifier(bb, torchscript, features);
            Networks.TorchScriptHead head = new Networks.TorchScriptHead(bb.method(), features, channels, h, w, classes,
                    headDropout, headHidden);
            return new Adapted(Networks.withHead(bb, head, manager, seed), new Networks.Spec(null, head),
                    "TorchScript " + bb.method() + " -> " + features + " features, new " + head.describeHead() + " for "
                            + classes + " classes");
        }
        Networks.Spec from = bundle.info().network();
        if (from.model() == null) {
            // a bundle fine-tuned from TorchScript: keep its backbone, replace the linear head
            Networks.TorchScriptHead old = from.torchscript();
            Networks.TorchScriptHead head = new Networks.TorchScriptHead(old.method(), old.features(), channels, h, w,
                    classes, sameClasses ? old.headDropout() : headDropout, sameClasses ? old.hidden() : headHidden);
            TorchScriptBackbone bb = (TorchScriptBackbone) bundle.model().getChildren().get(0).getValue();
            Block net = Networks.withHead(bb, head, manager, seed);
            int kept = sameClasses ? copyMatching(bundle.model(), net) : 0;
            return new Adapted(net, new Networks.Spec(null, head), "the bundle's TorchScript backbone, "
                    + (kept > 0 ? "its head kept (same classes)" : "new " + head.describeHead() + " for " + classes
                    + " classes"));
        }
        ModelSpec b = from.model();
        if (!headHidden.isEmpty()) {
            throw new TuneupException("finetune.head: mlp is for TorchScript bases; this base is a tuneup " + b.arch(),
                    "set finetune.head: linear (a tuneup cnn's dense layers are model.dense_widths)");
        }
        if (b.inChannels() != channels) {
            throw new TuneupException("the base takes " + b.inChannels() + "-channel images, the data has " + channels,
                    "set data.channels: " + b.inChannels());
        }
        // continuing on the same classes keeps the base's whole architecture, head dropout included
        ModelSpec spec = new ModelSpec(b.arch(), b.depth(), b.width(), b.convWidths(), b.kernel(), b.pool(),
                b.denseWidths(), b.activation(), b.norm(), sameClasses ? b.headDropout() : headDropout,
                b.spatialDropout(), channels, h, w, classes);
        Block model = Networks.create(spec, manager, seed);
        Layers layers = Layers.of(model);
        Map<String, Parameter> source = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : bundle.model().getParameters()) {
            source.put(p.getKey(), p.getValue());
        }
        int copied = 0;
        List<String> missing = new ArrayList<>();
        boolean headKept = sameClasses;
        for (Pair<String, Parameter> p : model.getParameters()) {
            Parameter from0 = source.get(p.getKey());
            if (layers.isHead(p.getKey()) && p.getValue().requiresGradient()) {
                if (!sameClasses || from0 == null || !from0.getArray().getShape().equals(p.getValue().getArray().getShape())) {
                    headKept = false;
                    continue;
                }
            }
            if (from0 == null || !from0.getArray().getShape().equals(p.getValue().getArray().getShape())) {
                missing.add(p.getKey() + (from0 == null ? "" : " " + from0.getArray().getShape() + " vs "
                        + p.getValue().getArray().getShape()));
                continue;
            }
            p.getValue().getArray().set(from0.getArray().toByteBuffer());
            copied++;
        }
        if (!missing.isEmpty()) {
            throw new TuneupException("the base's weights do not fit " + h + "x" + w + " inputs: " + missing,
                    "resize the data to the base's " + b.height() + "x" + b.widthPx() + " (a cnn's dense layers fix its"
                            + " input size) or use a base with global pooling (resnet, wrn)");
        }
        return new Adapted(model, Networks.Spec.of(spec), b.arch() + ": " + copied + " tensors from the base, "
                + (headKept ? "its head kept (same classes)" : "new head " + layers.head() + " for " + classes + " classes"));
    }

    /** Copies every parameter of {@code from} into the same-named, same-shaped one of {@code to}; returns how many. */
    private static int copyMatching(Block from, Block to) {
        Map<String, Parameter> source = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : from.getParameters()) {
            source.put(p.getKey(), p.getValue());
        }
        int n = 0;
        for (Pair<String, Parameter> p : to.getParameters()) {
            Parameter s = source.get(p.getKey());
            if (s != null && s.getArray() != p.getValue().getArray()
                    && s.getArray().getShape().equals(p.getValue().getArray().getShape())) {
                p.getValue().getArray().set(s.getArray().toByteBuffer());
                n++;
            }
        }
        return n;
    }

    /** The model to fine-tune and how to describe it. */
    public record Adapted(Block model, Networks.Spec network, String description) {
    }
}
