package dev.tuneup.bundle;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tuneup.JsonFiles;
import dev.tuneup.TuneupException;
import dev.tuneup.model.Finite;
import dev.tuneup.model.Networks;
import dev.tuneup.track.AtomicFolder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained model as one folder: {@code model.json} (the network), {@code weights.params},
 * {@code synset.txt} (class names, one per line), {@code preprocessing.json}, {@code provenance.json},
 * {@code profile.json} (the validation {@link Profile}) when there is one, {@code backbone.pt} for a
 * TorchScript base, and {@code manifest.json} with the SHA-256 and size of each. It is written
 * atomically and never over an existing folder. Loading verifies every file against the manifest
 * before using it and reads only the files named here (the profile only when the manifest lists it):
 * a bundle is data, not code, and a changed byte anywhere is an error that names the file.
 */
public final class ModelBundle {
    public static final String MODEL = "model.json";
    public static final String WEIGHTS = "weights.params";
    public static final String SYNSET = "synset.txt";
    public static final String PREPROCESSING = "preprocessing.json";
    public static final String PROVENANCE = "provenance.json";
    public static final String PROFILE = "profile.json";
    public static final String FORMAT = "tuneup-bundle";
    private static final long MAX_FILE = 1L << 30;
    private static final ObjectMapper JSON = JsonFiles.MAPPER;

    /**
     * Everything about the model except its weights.
     *
     * @param profile the outputs on validation data, for drift monitoring; null for bundles written
     *                before profiles existed and for models without validation data (CrossFit folds)
     */
    public record Info(Networks.Spec network, List<String> classes, Preprocessing preprocessing,
                       Map<String, Object> provenance, Profile profile) {
        public Info {
            classes = List.copyOf(classes);
            provenance = provenance == null ? Map.of() : new LinkedHashMap<>(provenance);
            if (classes.size() != network.numClasses()) {
                throw new IllegalArgumentException(classes.size() + " class names for a network with "
                        + network.numClasses() + " outputs");
            }
            if (profile != null && profile.classShare().length != classes.size()) {
                throw new IllegalArgumentException("the profile has " + profile.classShare().length + " class shares for "
                        + classes.size() + " classes");
            }
        }

        /** Without a profile. */
        public Info(Networks.Spec network, List<String> classes, Preprocessing preprocessing, Map<String, Object> provenance) {
            this(network, classes, preprocessing, provenance, null);
        }

        /** The same with the preprocessing's temperature set to {@code t}. */
        public Info withTemperature(double t) {
            return new Info(network, classes, preprocessing.withTemperature(t), provenance, profile);
        }

        /** The same with {@code p} as the profile (null for none). */
        public Info withProfile(Profile p) {
            return new Info(network, classes, preprocessing, provenance, p);
        }

        /** The same with {@code p} as the provenance. */
        public Info withProvenance(Map<String, Object> p) {
            return new Info(network, classes, preprocessing, p, profile);
        }
    }

    /** A loaded bundle: the network with its weights, in {@code manager}. */
    public record Loaded(Path dir, Block model, Info info) {
    }

    private record ModelJson(String format, int version, Networks.Spec network) {
    }

    private ModelBundle() {
    }

    /** Writes {@code model} and {@code info} as the bundle {@code target}, which must not exist. */
    public static Path write(Path target, Block model, Info info) {
        if (Files.exists(target)) {
            throw new TuneupException("bundle folder " + target + " already exists",
                    "choose a new folder; bundles are never overwritten");
        }
        String bad = Finite.firstNonFinite(model);
        if (bad != null) {
            throw new TuneupException("the model has non-finite weights, in " + bad + "; no bundle was written to " + target,
                    "the training diverged: lower the learning rate or clip gradients (regularization.clip_norm)");
        }
        try {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(MODEL, JSON.writeValueAsBytes(new ModelJson(FORMAT, 1, info.network())));
            files.put(WEIGHTS, weights(model));
            files.put(SYNSET, (String.join("\n", info.classes()) + "\n").getBytes(StandardCharsets.UTF_8));
            files.put(PREPROCESSING, JSON.writeValueAsBytes(info.preprocessing()));
            files.put(PROVENANCE, JSON.writeValueAsBytes(info.provenance()));
            if (info.profile() != null) {
                files.put(PROFILE, JSON.writeValueAsBytes(info.profile()));
            }
            Networks.extraFiles(model, info.network()).forEach(files::put);
            for (String name : info.classes()) {
                if (name.isBlank() || name.contains("\n") || name.contains("\r")) {
                    throw new TuneupException("class name '" + name + "' cannot go into " + SYNSET,
                            "class names must be non-blank single lines");
                }
            }
            return AtomicFolder.write(target, files, Map.of("format", FORMAT));
        } catch (IOException e) {
            throw new TuneupException("cannot write bundle " + target + ": " + e.getMessage(),
                    "check free space and permissions of " + target.toAbsolutePath().getParent(), e);
        }
    }

    /** Reads and verifies the bundle in {@code dir} and builds its network in {@code manager}. */
    public static Loaded load(Path dir, NDManager manager) {
        if (!Files.isDirectory(dir)) {
            throw new TuneupException(dir + " is not a bundle folder", "pass the folder tuneup train or tuneup export wrote"
                    + " (it holds " + MODEL + " and " + AtomicFolder.MANIFEST + ")");
        }
        Map<String, byte[]> files;
        try {
            Set<String> wanted = new java.util.HashSet<>(Set.of(MODEL, WEIGHTS, SYNSET, PREPROCESSING, PROVENANCE));
            boolean profiled = AtomicFolder.manifest(dir).path("files").has(PROFILE);
            if (profiled) {
                wanted.add(PROFILE);
            }
            files = AtomicFolder.read(dir, wanted, MAX_FILE);
            ModelJson m = parse(files.get(MODEL), MODEL, new TypeReference<>() { });
            if (!FORMAT.equals(m.format()) || m.version() != 1) {
                throw new IllegalStateException(MODEL + " is format " + m.format() + " version " + m.version()
                        + "; this tuneup reads " + FORMAT + " version 1");
            }
            Set<String> extra = Networks.extraFileNames(m.network());
            files.putAll(AtomicFolder.read(dir, extra, MAX_FILE));
            List<String> classes = new String(files.get(SYNSET), StandardCharsets.UTF_8).lines().toList();
            Preprocessing pre = parse(files.get(PREPROCESSING), PREPROCESSING, new TypeReference<>() { });
            Map<String, Object> prov = parse(files.get(PROVENANCE), PROVENANCE, new TypeReference<>() { });
            Info info;
            try {
                Profile profile = profiled ? parse(files.get(PROFILE), PROFILE, new TypeReference<>() { }) : null;
                info = new Info(m.network(), classes, pre, prov, profile);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage());
            }
            Block model = Networks.build(m.network(), manager, files);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(files.get(WEIGHTS)))) {
                model.loadParameters(manager, in);
            } catch (MalformedModelException | IOException | RuntimeException e) {
                throw new IllegalStateException(WEIGHTS + " does not fit the network in " + MODEL + ": " + e.getMessage());
            }
            String bad = Finite.firstNonFinite(model);
            if (bad != null) { // not damage that copying again mends: the run that wrote it diverged
                throw new TuneupException("bundle " + dir + " holds non-finite weights (NaN or infinity), in " + bad
                        + "; its predictions would be meaningless", "the run that wrote it diverged: train or repair"
                        + " again with a lower learning rate or gradient clipping (regularization.clip_norm), and keep"
                        + " using the previous bundle meanwhile");
            }
            return new Loaded(dir, model, info);
        } catch (IOException | IllegalStateException e) {
            throw new TuneupException("bundle " + dir + " is damaged: " + e.getMessage(),
                    "export the bundle again (tuneup export <run>) or copy it again from its source", e);
        }
    }

    /** {@code info} as JSON, e.g. for a run folder to export from later without its data. */
    public static byte[] infoJson(Info info) {
        try {
            return JSON.writeValueAsBytes(info);
        } catch (IOException e) {
            throw new TuneupException("cannot write bundle info: " + e.getMessage(), "report this as a bug", e);
        }
    }

    /** Reads what {@link #infoJson} wrote. */
    public static Info readInfo(Path file) {
        try {
            return JsonFiles.read(Files.readAllBytes(file), Info.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new TuneupException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""),
                    "the run folder is damaged or from an older tuneup; train again", e);
        }
    }

    public static byte[] weights(Block model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            model.saveParameters(out);
        } catch (IOException e) {
            throw new TuneupException("cannot serialise the weights: " + e.getMessage(), "report this as a bug", e);
        }
        return bytes.toByteArray();
    }

    private static <T> T parse(byte[] bytes, String file, TypeReference<T> type) {
        try {
            return JsonFiles.read(bytes, type);
        } catch (IOException e) {
            throw new IllegalStateException(file + " cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
