package dev.tuneup.djl;

import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.StackBatchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageDecoder;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * One encoded image in, every class's probability out, computed as tuneup's Predictor computes it:
 * decoded and resized by tuneup's decoder to the bundle's size and channels, normalised with the
 * bundle's mean and std, laid out channels-last, logits divided by the bundle's temperature, softmax in
 * double precision.
 *
 * @param <I> the input: anything {@link Encoded} turns into encoded bytes (Path, byte[], DJL Image)
 */
final class BundleTranslator<I> implements Translator<I, Classifications> {
    private final ModelBundle.Info info;
    private final Encoded<I> encoded;

    /** How an input becomes encoded image bytes and a name for error messages. */
    interface Encoded<I> {
        byte[] bytes(I input) throws java.io.IOException;

        String name(I input);
    }

    BundleTranslator(ModelBundle.Info info, Encoded<I> encoded) {
        this.info = info;
        this.encoded = encoded;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, I input) throws java.io.IOException {
        Preprocessing p = info.preprocessing();
        String name = encoded.name(input);
        Image im = ImageDecoder.decode(encoded.bytes(input), name, p.load(LoadOptions.defaults()), p.height(),
                p.width());
        ImageSet one = new ImageSet(p.height(), p.width(), p.channels(), info.classes(), new byte[][] {im.pixels()},
                new int[] {0}, new String[] {name});
        // (H, W, C): the batchifier stacks and views them as channels-last (N, C, H, W), as the Predictor does
        return new NDList(ctx.getNDManager().create(p.inputChannelsLast(one, 0, 1),
                new Shape(p.height(), p.width(), p.channels())));
    }

    @Override
    public Batchifier getBatchifier() {
        return new StackBatchifier() {
            @Override
            public NDList batchify(NDList[] inputs) {
                NDList nhwc = super.batchify(inputs);
                NDList out = new NDList(nhwc.size());
                for (NDArray a : nhwc) {
                    out.add(a.transpose(0, 3, 1, 2));
                }
                return out;
            }
        };
    }

    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list) {
        float[] z = list.singletonOrThrow().toFloatArray();
        Predictor.softmaxInPlace(z, info.preprocessing().temperature());
        List<Double> probs = new ArrayList<>(z.length);
        for (float v : z) {
            probs.add((double) v);
        }
        return new Classifications(info.classes(), probs);
    }
}
