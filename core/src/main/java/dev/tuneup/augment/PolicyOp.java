package dev.tuneup.augment;

import dev.tuneup.data.Image;

/**
 * The ops the augmentation policies (RandAugment, TrivialAugment, AutoAugment, AugMix) choose
 * from, applied with a signed magnitude exactly as torchvision's {@code _apply_op} does: shears
 * about the top-left corner, translations in whole pixels, nearest-neighbour sampling, fill 0.
 */
public enum PolicyOp {
    IDENTITY, SHEAR_X, SHEAR_Y, TRANSLATE_X, TRANSLATE_Y, ROTATE, BRIGHTNESS, COLOR, CONTRAST, SHARPNESS,
    POSTERIZE, SOLARIZE, AUTOCONTRAST, EQUALIZE, INVERT;

    /** True when a policy flips the magnitude's sign at random. */
    boolean signed() {
        return switch (this) {
            case SHEAR_X, SHEAR_Y, TRANSLATE_X, TRANSLATE_Y, ROTATE, BRIGHTNESS, COLOR, CONTRAST, SHARPNESS -> true;
            default -> false;
        };
    }

    Image apply(Image im, double m) {
        double cx = -im.width() * 0.5;
        double cy = -im.height() * 0.5;
        return switch (this) {
            case IDENTITY -> im;
            case SHEAR_X -> Warp.affine(im, 0, 0, 0, 1, Math.toDegrees(Math.atan(m)), 0, cx, cy, Warp.Interp.NEAREST, 0);
            case SHEAR_Y -> Warp.affine(im, 0, 0, 0, 1, 0, Math.toDegrees(Math.atan(m)), cx, cy, Warp.Interp.NEAREST, 0);
            case TRANSLATE_X -> Warp.affine(im, 0, (int) m, 0, 1, 0, 0, Warp.Interp.NEAREST, 0);
            case TRANSLATE_Y -> Warp.affine(im, 0, 0, (int) m, 1, 0, 0, Warp.Interp.NEAREST, 0);
            case ROTATE -> Warp.affine(im, -m, 0, 0, 1, 0, 0, Warp.Interp.NEAREST, 0);
            case BRIGHTNESS -> ColorFns.brightness(im, (float) (1 + m));
            case COLOR -> ColorFns.saturation(im, (float) (1 + m));
            case CONTRAST -> ColorFns.contrast(im, (float) (1 + m));
            case SHARPNESS -> ColorFns.sharpness(im, (float) (1 + m));
            case POSTERIZE -> ColorFns.posterize(im, (int) m);
            case SOLARIZE -> ColorFns.solarize(im, (float) m);
            case AUTOCONTRAST -> ColorFns.autocontrast(im);
            case EQUALIZE -> ColorFns.equalize(im);
            case INVERT -> ColorFns.invert(im);
        };
    }

    /** {@code n} evenly spaced values from {@code lo} to {@code hi} (torch.linspace). */
    static double[] linspace(double lo, double hi, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = n == 1 ? lo : lo + (hi - lo) * i / (n - 1);
        }
        return v;
    }

    /** Posterize bits: {@code top - round(i / ((n - 1) / spread))}, torchvision's table. */
    static double[] posterizeBits(int top, double spread, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = top - Math.rint(i / ((n - 1) / spread));
        }
        return v;
    }
}
