package dev.tuneup.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.loader.Normalization;
import dev.tuneup.model.Activations;
import dev.tuneup.model.ModelSpec;
import dev.tuneup.model.Networks;
import dev.tuneup.model.Norms;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain DJL on a tuneup bundle gives tuneup's Predictor's probabilities for 64 real CIFAR-10 JPEGs. */
class DjlBundleTest {
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
            "ship", "truck");
    static final int N = 64;
    static List<byte[]> jpegs = new ArrayList<>();

    @TempDir
    static Path dir;
    static Path bundle;

    @BeforeAll
    static void setUp() throws IOException {
        Path tar = Path.of(System.getProperty("tuneup.sharedData", "../shared/data")).resolve("cifar10-jpg.tar.gz");
        assumeTrue(Files.isRegularFile(tar), "CIFAR-10 archive not found at " + tar);
        try (InputStream raw = Files.newInputStream(tar);
             TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry e;
            int[] perClass = new int[CLASSES.size()];
            while (jpegs.size() < N && (e = in.getNextEntry()) != null) {
                String[] parts = e.getName().split("/");
                if (!e.isDirectory() && parts.length == 4 && parts[1].equals("test")
                        && perClass[CLASSES.indexOf(parts[2])]++ < 7) {
                    jpegs.add(in.readAllBytes());
                }
            }
        }
        ModelSpec spec = new ModelSpec("resnet", 8, 1, List.of(), 3, "none", List.of(), Activations.Kind.SILU,
                Norms.Kind.GROUP, 0.1, 0, 3, 32, 32, 10);
        Normalization cifar = new Normalization(new float[] {0.49f, 0.48f, 0.45f}, new float[] {0.25f, 0.24f, 0.26f});
        try (NDManager m = NDManager.newBaseManager()) {
            var net = Networks.create(spec, m, 3);
            var last = net.getParameters().get(net.getParameters().size() - 2).getValue().getArray();
            last.muli(20); // probabilities far from uniform
            bundle = ModelBundle.write(dir.resolve("bundle"), net, new ModelBundle.Info(Networks.Spec.of(spec), CLASSES,
                    Preprocessing.of(32, 32, cifar).withTemperature(1.3), Map.of()));
        }
    }

    /** tuneup's own answer for each image, one at a time as the server does. */
    static List<float[]> tuneup() {
        List<float[]> out = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            dev.tuneup.bundle.Predictor p = new dev.tuneup.bundle.Predictor(ModelBundle.load(bundle, m), m, 1);
            for (int i = 0; i < jpegs.size(); i++) {
                var pred = p.predict(jpegs.get(i), "img" + i + ".jpg", CLASSES.size());
                float[] byClass = new float[CLASSES.size()];
                for (int k = 0; k < pred.ids().length; k++) {
                    byClass[pred.ids()[k]] = pred.probabilities()[k];
                }
                out.add(byClass);
            }
        }
        return out;
    }

    static double maxDiff(List<float[]> expected, List<Classifications> got) {
        double max = 0;
        for (int i = 0; i < expected.size(); i++) {
            for (int k = 0; k < CLASSES.size(); k++) {
                max = Math.max(max, Math.abs(expected.get(i)[k] - got.get(i).get(CLASSES.get(k)).getProbability()));
            }
        }
        return max;
    }

    @Test
    void plainCriteriaOnTheBundlePathMatchesThePredictor() throws Exception {
        List<float[]> expected = tuneup();
        Criteria<byte[], Classifications> criteria = Criteria.builder()
                .setTypes(byte[].class, Classifications.class)
                .optModelPath(bundle)
                .optArgument("blockFactory", "dev.tuneup.djl.BundleBlockFactory")
                .optArgument("translatorFactory", "dev.tuneup.djl.BundleTranslatorFactory")
                .optOption("hasParameter", "false")
                .build();
        try (ZooModel<byte[], Classifications> model = criteria.loadModel();
             Predictor<byte[], Classifications> predictor = model.newPredictor()) {
            List<Classifications> one = new ArrayList<>();
            for (byte[] jpeg : jpegs) {
                one.add(predictor.predict(jpeg));
            }
            double single = maxDiff(expected, one);
            double batched = maxDiff(expected, predictor.batchPredict(jpegs));
            System.out.printf("DJL vs tuneup Predictor on %d CIFAR-10 test JPEGs: max |diff| %.2e one by one,"
                    + " %.2e as one batch%n", jpegs.size(), single, batched);
            assertEquals(0, single, "one image at a time runs the same kernels on the same floats");
            assertTrue(batched <= 1e-6, "batched: " + batched);
            assertEquals(expected.size(), N);
        }
    }

    @Test
    void pathsAndDjlImagesThroughTheHelper() throws Exception {
        List<float[]> expected = tuneup().subList(0, 8);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            files.add(Files.write(dir.resolve("img" + i + ".jpg"), jpegs.get(i)));
        }
        try (ZooModel<Path, Classifications> model = TuneupBundles.criteria(bundle, Path.class).build().loadModel();
             Predictor<Path, Classifications> predictor = model.newPredictor()) {
            List<Classifications> got = new ArrayList<>();
            for (Path f : files) {
                got.add(predictor.predict(f));
            }
            assertEquals(0, maxDiff(expected, got));
        }
        try (ZooModel<Image, Classifications> model = TuneupBundles.criteria(bundle, Image.class).build().loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            List<Classifications> got = new ArrayList<>();
            for (Path f : files) {
                got.add(predictor.predict(ImageFactory.getInstance().fromFile(f)));
            }
            assertTrue(maxDiff(expected, got) <= 1e-6, "an Image goes through PNG, losslessly: " + maxDiff(expected, got));
        }
    }

    @Test
    void aTorchScriptBackboneBundleLoadsToo() throws Exception {
        Path pt = Path.of("../core/src/test/resources/torchscript/tiny_headless.pt");
        assumeTrue(Files.isRegularFile(pt), "TorchScript fixture not found at " + pt);
        Path ts;
        try (NDManager m = NDManager.newBaseManager()) {
            Networks.TorchScriptHead head = new Networks.TorchScriptHead("forward", 16, 3, 32, 32, 10, 0);
            var net = Networks.withHead(dev.tuneup.model.TorchScriptBackbone.load(pt, null, m), head, m, 5);
            ts = ModelBundle.write(dir.resolve("ts"), net, new ModelBundle.Info(new Networks.Spec(null, head), CLASSES,
                    Preprocessing.of(32, 32, Normalization.unit(3)), Map.of()));
        }
        float[] expected;
        try (NDManager m = NDManager.newBaseManager()) {
            var pred = new dev.tuneup.bundle.Predictor(ModelBundle.load(ts, m), m, 1).predict(jpegs.get(0), "a.jpg", 10);
            expected = new float[10];
            for (int k = 0; k < 10; k++) {
                expected[pred.ids()[k]] = pred.probabilities()[k];
            }
        }
        try (ZooModel<byte[], Classifications> model = TuneupBundles.criteria(ts, byte[].class).build().loadModel();
             Predictor<byte[], Classifications> predictor = model.newPredictor()) {
            assertEquals(0, maxDiff(List.of(expected), List.of(predictor.predict(jpegs.get(0)))));
        }
    }
}
