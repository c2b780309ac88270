package dev.tuneup.djl;

import ai.djl.Application;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.Criteria;
import java.nio.file.Path;

/**
 * The DJL criteria for a tuneup bundle. With tuneup-djl on the class path,
 * <pre>{@code
 * Criteria.builder().setTypes(Path.class, Classifications.class).optModelPath(bundle)
 *         .optArgument("blockFactory", BundleBlockFactory.class.getName())
 *         .optArgument("translatorFactory", BundleTranslatorFactory.class.getName())
 *         .optOption("hasParameter", "false")
 * }</pre>
 * loads it; {@link #criteria} is that builder. The parameter option stops DJL's PyTorch engine from
 * looking for DJL's own parameter file: the block factory has already loaded the bundle's weights.
 */
public final class TuneupBundles {
    private TuneupBundles() {
    }

    /** A criteria builder for the bundle folder {@code bundle} taking {@code input} (Path, byte[] or Image). */
    public static <I> Criteria.Builder<I, Classifications> criteria(Path bundle, Class<I> input) {
        return Criteria.builder().setTypes(input, Classifications.class).optApplication(Application.CV.IMAGE_CLASSIFICATION)
                .optEngine("PyTorch").optModelPath(bundle)
                .optArgument("blockFactory", BundleBlockFactory.class.getName())
                .optArgument("translatorFactory", BundleTranslatorFactory.class.getName())
                .optOption("hasParameter", "false");
    }
}
