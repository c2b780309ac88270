package dev.tuneup.augment;

import dev.tuneup.data.Image;
import java.util.SplittableRandom;

/**
 * Public entry points to this package's pixel kernels for code outside it (the corruption suite in
 * {@code dev.tuneup.evaluate}). Each method only delegates, so both users share one implementation
 * and its torchvision-matched arithmetic.
 */
public final class Kernels {
    private Kernels() {
    }

    /** Where output pixel (x, y) samples the source, as fractional source indices. */
    @FunctionalInterface
    public interface SourceMap {
        void source(int x, int y, double[] out);
    }

    /** Separable gaussian blur, odd {@code kernel}, reflect borders. */
    public static Image gaussianBlur(Image im, int kernel, double sigma) {
        return Filters.gaussianBlur(im, kernel, sigma);
    }

    /** A standard normal draw. */
    public static double gaussian(SplittableRandom rng) {
        return Filters.gaussian(rng);
    }

    /** torchvision's contrast: blend with the mean gray value. */
    public static Image contrast(Image im, float factor) {
        return ColorFns.contrast(im, factor);
    }

    /** torchvision's saturation: blend each pixel with its gray value; gray images pass through. */
    public static Image saturation(Image im, float factor) {
        return ColorFns.saturation(im, factor);
    }

    /** {@code 255 - v} for every value. */
    public static Image invert(Image im) {
        return ColorFns.invert(im);
    }

    /** torchvision's {@code F.affine} about the centre, bilinear, outside filled with {@code fill}. */
    public static Image affine(Image im, double angle, double tx, double ty, double scale, double shearX,
                               double shearY, int fill) {
        return Warp.affine(im, angle, tx, ty, scale, shearX, shearY, Warp.Interp.BILINEAR, fill);
    }

    /** Bilinear resampling through {@code map}; samples outside the image blend in {@code fill}. */
    public static Image remap(Image im, int fill, SourceMap map) {
        return Warp.map(im, Warp.Interp.BILINEAR, fill, map::source);
    }
}
