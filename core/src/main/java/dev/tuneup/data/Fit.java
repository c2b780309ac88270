package dev.tuneup.data;

import java.util.Locale;

/**
 * How an image of any size becomes the model's {@code height x width}: the one geometric step of
 * the eval pipeline, used alike by validation, test, {@code eval}, {@code analyze}, {@code repair}
 * and the server (it travels in the bundle's preprocessing).
 * <ul>
 * <li>{@code cropFraction == 0}: plain resize of both sides (the aspect ratio is not kept).</li>
 * <li>{@code cropFraction in (0, 1]}: scale, keeping the aspect ratio, until the image covers
 *     {@code floor(height/cropFraction) x floor(width/cropFraction)}, then take the centre
 *     {@code height x width}. For a square size this is exactly torchvision's
 *     {@code Resize(int(size / crop_pct))} + {@code CenterCrop(size)} (timm's {@code crop_pct};
 *     0.875 is ImageNet's 224 from 256): the shorter side becomes {@code floor(size / crop_pct)}, the
 *     longer {@code int(that * long / short)}, the crop starts at {@code round((H - size) / 2)}, half to even.</li>
 * </ul>
 * An image already {@code height x width} is taken as it is, under either rule: fitting is
 * idempotent, so images decoded at the model's size are never cropped a second time.
 */
public record Fit(int height, int width, double cropFraction) {
    /** ImageNet's 224/256, the crop fraction torchvision and timm evaluate at. */
    public static final double IMAGENET_CROP = 0.875;

    public Fit {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("a fit needs a positive size, got " + height + "x" + width);
        }
        if (!(cropFraction == 0 || (cropFraction > 0 && cropFraction <= 1))) {
            throw new IllegalArgumentException("crop fraction must be in (0, 1], or 0 for a plain resize; got "
                    + cropFraction);
        }
    }

    public static Fit resize(int height, int width) {
        return new Fit(height, width, 0);
    }

    public boolean crops() {
        return cropFraction > 0;
    }

    /** True when an image of {@code h x w} would be changed. */
    public boolean changes(int h, int w) {
        return h != height || w != width;
    }

    public Image apply(Image im) {
        if (!changes(im.height(), im.width())) {
            return im;
        }
        if (!crops()) {
            return Resize.bilinear(im, height, width);
        }
        int coverH = Math.max(height, (int) Math.floor(height / cropFraction + 1e-9));
        int coverW = Math.max(width, (int) Math.floor(width / cropFraction + 1e-9));
        int h;
        int w;
        if ((double) coverH / im.height() >= (double) coverW / im.width()) {
            h = coverH;
            w = Math.max(coverW, (int) ((double) coverH * im.width() / im.height()));
        } else {
            w = coverW;
            h = Math.max(coverH, (int) ((double) coverW * im.height() / im.width()));
        }
        int top = (int) Math.rint((h - height) / 2.0);
        int left = (int) Math.rint((w - width) / 2.0);
        return Resize.window(im, h, w, top, left, height, width); // only the centre is ever resized
    }

    @Override
    public String toString() {
        String size = height == width ? Integer.toString(height) : height + "x" + width;
        return crops() ? String.format(Locale.ROOT, "%s (centre crop, crop fraction %s)", size, trim(cropFraction))
                : size + " (plain resize)";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
