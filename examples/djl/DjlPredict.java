// A plain DJL program that classifies images with a tuneup bundle: no tuneup API in sight, only DJL's Criteria,
// with tuneup-djl on the class path naming the block and translator factories. examples/djl/run.sh builds and runs it:
//   examples/djl/run.sh BUNDLE IMAGE...
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class DjlPredict {
    public static void main(String[] args) throws Exception {
        Criteria<Path, Classifications> criteria = Criteria.builder()
                .setTypes(Path.class, Classifications.class)
                .optModelPath(Path.of(args[0]))
                .optArgument("blockFactory", "dev.tuneup.djl.BundleBlockFactory") // rebuilds the network + weights
                .optArgument("translatorFactory", "dev.tuneup.djl.BundleTranslatorFactory") // the bundle's preprocessing
                .optOption("hasParameter", "false") // the block factory has loaded weights.params already
                .build();
        List<Path> images = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            images.add(Path.of(args[i]));
        }
        try (ZooModel<Path, Classifications> model = criteria.loadModel();
             Predictor<Path, Classifications> predictor = model.newPredictor()) {
            List<Classifications> results = predictor.batchPredict(images);
            for (int i = 0; i < images.size(); i++) {
                Classifications.Classification best = results.get(i).best();
                System.out.printf("%s: %s %.3f  (top 3: %s)%n", images.get(i), best.getClassName(),
                        best.getProbability(), results.get(i).topK(3).stream()
                                .map(c -> c.getClassName() + String.format(" %.3f", c.getProbability())).toList());
            }
        }
    }
}
