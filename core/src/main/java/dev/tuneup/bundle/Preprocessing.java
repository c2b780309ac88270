package dev.tuneup.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tuneup.data.Fit;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageSet;
import dev.tuneup.data.LoadOptions;
import dev.tuneup.loader.Normalization;
import java.util.Arrays;

/**
 * How an image becomes the model's input, exactly as training's validation did it: decode,
 * convert to {@code channels}, bring to {@code height x width} by the {@code resize} rule (an
 * image already that size is taken as is), then {@code (x / 255 - mean) / std} per channel.
 *
 * @param resize       {@value #RESIZE}: both sides resized (antialiased bilinear, dev.tuneup.data.Resize);
 *                     {@value #CENTER_CROP}: scaled keeping the aspect ratio to cover
 *                     {@code size / crop_fraction}, then the centre {@code height x width} (see {@link Fit})
 * @param cropFraction for {@value #CENTER_CROP}, in (0, 1]; 0 for {@value #RESIZE}
 */
public record Preprocessing(int height, int width, int channels, float[] mean, float[] std, String resize,
                            @JsonProperty("crop_fraction") double cropFraction,
                            @JsonProperty("temperature") double temperature) {
    public static final String RESIZE = "bilinear-antialias";
    public static final String CENTER_CROP = "center-crop";

    public Preprocessing {
        if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("preprocessing needs a positive size and 1 or 3 channels, got "
                    + height + "x" + width + "x" + channels);
        }
        if (mean == null || std == null || mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("preprocessing needs " + channels + " mean and std values, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        if (RESIZE.equals(resize)) {
            cropFraction = 0; // bundles written before the rule existed have no crop_fraction
        } else if (!CENTER_CROP.equals(resize)) {
            throw new IllegalArgumentException("resize '" + resize + "' is neither " + RESIZE + " nor " + CENTER_CROP);
        } else if (!(cropFraction > 0 && cropFraction <= 1)) {
            throw new IllegalArgumentException(CENTER_CROP + " needs a crop_fraction in (0, 1], got " + cropFraction);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
    }

    /** A plain resize to {@code height x width}. */
    public static Preprocessing of(int height, int width, Normalization n) {
        return of(Fit.resize(height, width), n);
    }

    public static Preprocessing of(Fit fit, Normalization n) {
        return new Preprocessing(fit.height(), fit.width(), n.channels(), n.mean(), n.std(),
                fit.crops() ? CENTER_CROP : RESIZE, fit.cropFraction(), 1.0);
    }

    /** The geometric step: the size and the rule that reaches it. */
    public Fit fit() {
        return new Fit(height, width, cropFraction);
    }

    /** One image brought to the model's size by the rule. */
    public Image fit(Image im) {
        return fit().apply(im);
    }

    /** {@code base} decoding files straight to the model's channels, size and rule. */
    public LoadOptions load(LoadOptions base) {
        return base.withChannels(channels).withFit(fit());
    }

    public Normalization normalization() {
        return new Normalization(mean, std);
    }

    /**
     * Images {@code [from, from + n)} of {@code images} (already this size and channel count) as the
     * model's input: NCHW float32, the values the loader gives evaluation and the Predictor (which
     * lay them out NHWC, {@link #inputChannelsLast}).
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

    /**
     * The same values as {@link #input} laid out NHWC (the image's own pixel order): what the Predictor
     * and evaluation give the model, as a channels-last (N, C, H, W) view.
     */
    public float[] inputChannelsLast(ImageSet images, int from, int n) {
        float[][] table = normalization().table();
        int size = channels * height * width;
        float[] out = new float[n * size];
        for (int i = 0; i < n; i++) {
            byte[] px = images.pixels(from + i);
            for (int q = 0, o = i * size; q < size; ) {
                for (int c = 0; c < channels; c++, q++, o++) {
                    out[o] = table[c][px[q] & 0xFF];
                }
            }
        }
        return out;
    }

    public Preprocessing withTemperature(double t) {
        return new Preprocessing(height, width, channels, mean, std, resize, cropFraction, t);
    }
}
