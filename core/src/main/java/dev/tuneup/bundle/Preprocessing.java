package dev.tuneup.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tuneup.data.ImageSet;
import dev.tuneup.loader.Normalization;
import java.util.Arrays;

/**
 * How an image becomes the model's input, exactly as training's evaluation did it: decode,
 * convert to {@code channels}, resize to {@code height x width} with {@code resize}, then
 * {@code (x / 255 - mean) / std} per channel.
 *
 * @param resize the only rule tuneup uses, {@value #RESIZE} (see dev.tuneup.data.Resize)
 */
public record Preprocessing(int height, int width, int channels, float[] mean, float[] std, String resize,
                            @JsonProperty("temperature") double temperature) {
    public static final String RESIZE = "bilinear-antialias";

    public Preprocessing {
        if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("preprocessing needs a positive size and 1 or 3 channels, got "
                    + height + "x" + width + "x" + channels);
        }
        if (mean == null || std == null || mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("preprocessing needs " + channels + " mean and std values, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        if (!RESIZE.equals(resize)) {
            throw new IllegalArgumentException("resize '" + resize + "' is not " + RESIZE);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
    }

    public static Preprocessing of(int height, int width, Normalization n) {
        return new Preprocessing(height, width, n.channels(), n.mean(), n.std(), RESIZE, 1.0);
    }

    public Normalization normalization() {
        return new Normalization(mean, std);
    }

    /**
     * Images {@code [from, from + n)} of {@code images} (already this size and channel count) as the
     * model's input: NCHW float32, byte for byte what the loader gives evaluation and the Predictor.
     */
    public float[] input(ImageSet images, int from, int n) {
        float[][] table = normalization().table();
        int plane = height * width;
        float[] out = new float[n * channels * plane];
        for (int i = 0; i < n; i++) {
            byte[] px = images.pixels(from + i);
            int base = i * channels * plane;
            for (int p = 0, q = 0; p < plane; p++) {
                for (int c = 0; c < channels; c++, q++) {
                    out[base + c * plane + p] = table[c][px[q] & 0xFF];
                }
            }
        }
        return out;
    }

    public Preprocessing withTemperature(double t) {
        return new Preprocessing(height, width, channels, mean, std, resize, t);
    }
}
