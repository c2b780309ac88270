package dev.tuneup.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.tuneup.JsonFiles;
import dev.tuneup.TuneupException;
import dev.tuneup.bundle.Preprocessing;
import dev.tuneup.data.Fit;
import dev.tuneup.loader.Normalization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a pretrained base says about the images it expects and the features it gives: stored as
 * {@value #FILE} inside a TorchScript archive by {@code scripts/export_torchvision_base.py}
 * ({@code torch.jit.save(m, path, _extra_files={"tuneup.json": ...})} puts it at
 * {@code <archive>/extra/tuneup.json}), or given by the {@link NamedBase} table for a published file.
 *
 * @param architecture  e.g. {@code resnet18}
 * @param size          input height and width in pixels
 * @param resize        {@code center-crop} (shorter side to {@code size / crop_fraction}, then the centre
 *                      {@code size x size}) or {@code resize} (plain resize to {@code size x size})
 * @param cropFraction  the crop's share of the resized shorter side, in (0, 1] (torchvision: 0.875 = 224/256)
 * @param mean          per-channel mean of {@code x / 255} (RGB)
 * @param std           per-channel standard deviation
 * @param features      the feature method's output width
 * @param method        the method returning features ({@code forward_features} or {@code forward})
 * @param weights       what the weights are ({@code none} = random, {@code IMAGENET1K_V1}, ...)
 */
public record BaseMetadata(String architecture, int size, String resize, @JsonProperty("crop_fraction") double cropFraction,
                           float[] mean, float[] std, int features, String method, String weights) {
    /** The file name inside the archive's {@code extra/} folder. */
    public static final String FILE = "tuneup.json";
    public static final List<String> RESIZES = List.of("center-crop", "resize");

    public BaseMetadata {
        if (size < 1 || !RESIZES.contains(resize) || !(cropFraction > 0 && cropFraction <= 1) || mean == null
                || std == null || mean.length != std.length || (mean.length != 1 && mean.length != 3) || features < 1) {
            throw new IllegalArgumentException("bad base metadata: size " + size + ", resize " + resize
                    + ", crop_fraction " + cropFraction + ", mean " + Arrays.toString(mean) + ", std "
                    + Arrays.toString(std) + ", features " + features);
        }
    }

    /** ImageNet's statistics, as torchvision's weights expect. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    /** The bundle preprocessing these images need: the size, the rule and the statistics. */
    public Preprocessing preprocessing() {
        return Preprocessing.of(new Fit(size, size, "center-crop".equals(resize) ? cropFraction : 0),
                new Normalization(mean, std));
    }

    /**
     * The metadata inside {@code pt}'s archive, or null when it has none or is no readable zip (loading
     * the module then says what is wrong with the file).
     */
    public static BaseMetadata read(Path pt) {
        ZipFile zip;
        try {
            zip = new ZipFile(pt.toFile());
        } catch (IOException e) {
            return null;
        }
        try (zip) {
            for (var it = zip.entries().asIterator(); it.hasNext(); ) {
                ZipEntry e = it.next();
                if (e.getName().endsWith("/extra/" + FILE)) {
                    try (InputStream in = zip.getInputStream(e)) {
                        // a newer exporter may add keys: read what this version knows
                        return JsonFiles.MAPPER.readerFor(BaseMetadata.class)
                                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(in);
                    }
                }
            }
            return null;
        } catch (IOException | IllegalArgumentException e) {
            throw new TuneupException(pt + ": its " + FILE + " cannot be read: " + e.getMessage(),
                    "export the base again with scripts/export_torchvision_base.py", e);
        }
    }
}
