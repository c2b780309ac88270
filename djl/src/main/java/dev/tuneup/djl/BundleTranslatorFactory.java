package dev.tuneup.djl;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Translators from an image file ({@link Path}), its encoded bytes ({@code byte[]}) or a DJL
 * {@link Image} (passed on losslessly as PNG) to {@link Classifications}, for a model whose block
 * {@link BundleBlockFactory} made.
 */
public final class BundleTranslatorFactory implements TranslatorFactory {
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(new Pair<>(Path.class, Classifications.class), new Pair<>(byte[].class, Classifications.class),
                new Pair<>(Image.class, Classifications.class));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        if (!(model.getBlock() instanceof BundleNetwork net)) {
            throw new TranslateException("the model's block is not a tuneup bundle's network; load it with the"
                    + " argument blockFactory=" + BundleBlockFactory.class.getName() + " (see " + TuneupBundles.class.getName()
                    + ")");
        }
        if (!isSupported(input, output)) {
            throw new TranslateException("a tuneup bundle translates Path, byte[] or Image to Classifications, not "
                    + input.getSimpleName() + " to " + output.getSimpleName());
        }
        BundleTranslator.Encoded<?> enc;
        if (input == Path.class) {
            enc = new BundleTranslator.Encoded<Path>() {
                public byte[] bytes(Path p) throws java.io.IOException {
                    return Files.readAllBytes(p);
                }

                public String name(Path p) {
                    return p.toString();
                }
            };
        } else if (input == byte[].class) {
            enc = new BundleTranslator.Encoded<byte[]>() {
                public byte[] bytes(byte[] b) {
                    return b;
                }

                public String name(byte[] b) {
                    return "image bytes";
                }
            };
        } else {
            enc = new BundleTranslator.Encoded<Image>() {
                public byte[] bytes(Image im) throws java.io.IOException {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    im.save(out, "png");
                    return out.toByteArray();
                }

                public String name(Image im) {
                    return "image.png";
                }
            };
        }
        return (Translator<I, O>) new BundleTranslator<>(net.info(), enc);
    }
}
