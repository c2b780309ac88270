package dev.tuneup.augment;

import dev.tuneup.data.Image;
import dev.tuneup.data.Resize;
import java.util.SplittableRandom;

/** Geometric ops: crops, resizes, flips, rotation, affine, perspective. */
public final class Geometric {
    private Geometric() {
    }

    /** Where a crop starts. */
    public record Offset(int top, int left) {
    }

    /** {@code crop(size, pad=0, mode=zero|reflect|edge)}: pad, then a random {@code size} window (torchvision's RandomCrop). */
    public record Crop(int height, int width, int pad, Warp.PadMode mode) implements ImageOp<Offset> {
        @Override
        public Offset sample(Image im, SplittableRandom rng) {
            int h = im.height() + 2 * pad;
            int w = im.width() + 2 * pad;
            if (h < height || w < width) {
                throw new IllegalArgumentException(this + " is larger than the padded " + h + "x" + w + " image");
            }
            return new Offset(rng.nextInt(h - height + 1), rng.nextInt(w - width + 1));
        }

        @Override
        public Image apply(Image im, Offset o) {
            return Warp.padCrop(im, pad, mode, o.top(), o.left(), height, width);
        }

        @Override
        public int[] outputSize(int h, int w) {
            return new int[] {height, width};
        }

        @Override
        public String toString() {
            return "crop(" + AugmentSpec.size(height, width) + (pad == 0 ? "" : ",pad=" + pad)
                    + (mode == Warp.PadMode.ZERO ? "" : ",mode=" + AugmentSpec.word(mode)) + ")";
        }
    }

    /** {@code centercrop(size)}: the central window, deterministic. */
    public record CenterCrop(int height, int width) implements FixedOp {
        @Override
        public Image apply(Image im) {
            if (im.height() < height || im.width() < width) {
                throw new IllegalArgumentException(this + " is larger than the " + im.height() + "x" + im.width() + " image");
            }
            return Warp.crop(im, (int) Math.round((im.height() - height) / 2.0), (int) Math.round((im.width() - width) / 2.0),
                    height, width);
        }

        @Override
        public int[] outputSize(int h, int w) {
            return new int[] {height, width};
        }

        @Override
        public String toString() {
            return "centercrop(" + AugmentSpec.size(height, width) + ")";
        }
    }

    /** {@code resize(size)}: antialiased bilinear resize, deterministic. */
    public record ResizeTo(int height, int width) implements FixedOp {
        @Override
        public Image apply(Image im) {
            return Resize.bilinear(im, height, width);
        }

        @Override
        public int[] outputSize(int h, int w) {
            return new int[] {height, width};
        }

        @Override
        public String toString() {
            return "resize(" + AugmentSpec.size(height, width) + ")";
        }
    }

    /**
     * {@code fit(size, crop=0)}: the eval pipeline's geometric step ({@link dev.tuneup.data.Fit}):
     * crop 0 resizes both sides, a crop fraction in (0, 1] scales keeping the aspect ratio and takes
     * the centre; an image already that size passes unchanged. Deterministic.
     */
    public record FitTo(dev.tuneup.data.Fit fit) implements FixedOp {
        @Override
        public Image apply(Image im) {
            return fit.apply(im);
        }

        @Override
        public int[] outputSize(int h, int w) {
            return new int[] {fit.height(), fit.width()};
        }

        @Override
        public String toString() {
            return "fit(" + AugmentSpec.size(fit.height(), fit.width())
                    + (fit.crops() ? ",crop=" + AugmentSpec.num(fit.cropFraction()) : "") + ")";
        }
    }

    /** The window a random resized crop takes. */
    public record Window(int top, int left, int height, int width) {
    }

    /**
     * {@code resizedcrop(size, scale=(0.08,1), ratio=(0.75,1.3333))}: a window of random area
     * fraction and aspect ratio, resized to {@code size} (torchvision's RandomResizedCrop, 10 tries
     * then a centre crop).
     */
    public record ResizedCrop(int height, int width, double minScale, double maxScale, double minRatio,
                              double maxRatio) implements ImageOp<Window> {
        @Override
        public Window sample(Image im, SplittableRandom rng) {
            int h = im.height();
            int w = im.width();
            double area = h * w;
            double logLo = Math.log(minRatio);
            double logHi = Math.log(maxRatio);
            for (int attempt = 0; attempt < 10; attempt++) {
                double target = area * (minScale + rng.nextDouble() * (maxScale - minScale));
                double ratio = Math.exp(logLo + rng.nextDouble() * (logHi - logLo));
                int cw = (int) Math.round(Math.sqrt(target * ratio));
                int ch = (int) Math.round(Math.sqrt(target / ratio));
                if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
                    return new Window(rng.nextInt(h - ch + 1), rng.nextInt(w - cw + 1), ch, cw);
                }
            }
            double inRatio = (double) w / h;
            int cw = w;
            int ch = h;
            if (inRatio < minRatio) {
                ch = (int) Math.round(w / minRatio);
            } else if (inRatio > maxRatio) {
                cw = (int) Math.round(h * maxRatio);
            }
            return new Window((h - ch) / 2, (w - cw) / 2, ch, cw);
        }

        @Override
        public Image apply(Image im, Window win) {
            return Resize.bilinear(Warp.crop(im, win.top(), win.left(), win.height(), win.width()), height, width);
        }

        @Override
        public int[] outputSize(int h, int w) {
            return new int[] {height, width};
        }

        @Override
        public String toString() {
            return "resizedcrop(" + AugmentSpec.size(height, width) + ",scale=" + AugmentSpec.pair(minScale, maxScale)
                    + ",ratio=" + AugmentSpec.pair(minRatio, maxRatio) + ")";
        }
    }

    /** {@code hflip} / {@code vflip}: mirror; applied with the step's probability (default 0.5). */
    public record Flip(boolean horizontal) implements FixedOp {
        @Override
        public Image apply(Image im) {
            return Warp.flip(im, horizontal);
        }

        @Override
        public double defaultProbability() {
            return 0.5;
        }

        @Override
        public String toString() {
            return horizontal ? "hflip" : "vflip";
        }
    }

    /** Angles and shifts drawn for one affine warp. */
    public record AffineParams(double angle, double tx, double ty, double scale, double shearX, double shearY) {
    }

    /**
     * {@code affine(degrees=0, translate=(0,0), scale=(1,1), shear=0, interp=nearest, fill=0)}:
     * torchvision's RandomAffine. Angle uniform in ±degrees, translation a whole number of pixels up
     * to the given fraction of the size, scale uniform in the range, x-shear uniform in ±shear.
     * {@code rotate(degrees)} is the same with only an angle.
     */
    public record Affine(double degrees, double translateX, double translateY, double minScale, double maxScale,
                         double shear, Warp.Interp interp, int fill, boolean rotateOnly) implements ImageOp<AffineParams> {
        @Override
        public AffineParams sample(Image im, SplittableRandom rng) {
            double angle = uniform(rng, -degrees, degrees);
            double tx = 0;
            double ty = 0;
            if (translateX > 0 || translateY > 0) {
                tx = Math.rint(uniform(rng, -translateX * im.width(), translateX * im.width()));
                ty = Math.rint(uniform(rng, -translateY * im.height(), translateY * im.height()));
            }
            double s = minScale == maxScale ? minScale : uniform(rng, minScale, maxScale);
            double sx = shear == 0 ? 0 : uniform(rng, -shear, shear);
            return new AffineParams(angle, tx, ty, s, sx, 0);
        }

        @Override
        public Image apply(Image im, AffineParams a) {
            // torchvision's rotate turns counter-clockwise, its affine clockwise: keep both conventions.
            double angle = rotateOnly ? -a.angle() : a.angle();
            return Warp.affine(im, angle, a.tx(), a.ty(), a.scale(), a.shearX(), a.shearY(), interp, fill);
        }

        @Override
        public String toString() {
            String tail = (interp == Warp.Interp.NEAREST ? "" : ",interp=" + AugmentSpec.word(interp))
                    + (fill == 0 ? "" : ",fill=" + fill);
            if (rotateOnly) {
                return "rotate(" + AugmentSpec.num(degrees) + tail + ")";
            }
            return "affine(degrees=" + AugmentSpec.num(degrees) + ",translate=" + AugmentSpec.pair(translateX, translateY)
                    + ",scale=" + AugmentSpec.pair(minScale, maxScale) + ",shear=" + AugmentSpec.num(shear) + tail + ")";
        }
    }

    /** The corners a perspective warp moves. */
    public record Corners(double[][] start, double[][] end) {
    }

    /**
     * {@code perspective(distortion=0.5, interp=bilinear, fill=0)}: torchvision's RandomPerspective;
     * each corner moves inwards by up to {@code distortion} of half the size. Default probability 0.5.
     */
    public record Perspective(double distortion, Warp.Interp interp, int fill) implements ImageOp<Corners> {
        @Override
        public Corners sample(Image im, SplittableRandom rng) {
            int w = im.width();
            int h = im.height();
            int dx = (int) (distortion * (w / 2)) + 1;
            int dy = (int) (distortion * (h / 2)) + 1;
            double[][] end = {
                {rng.nextInt(dx), rng.nextInt(dy)},
                {w - rng.nextInt(dx) - 1, rng.nextInt(dy)},
                {w - rng.nextInt(dx) - 1, h - rng.nextInt(dy) - 1},
                {rng.nextInt(dx), h - rng.nextInt(dy) - 1}};
            double[][] start = {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
            return new Corners(start, end);
        }

        @Override
        public Image apply(Image im, Corners c) {
            return Warp.perspective(im, c.start(), c.end(), interp, fill);
        }

        @Override
        public double defaultProbability() {
            return 0.5;
        }

        @Override
        public String toString() {
            return "perspective(" + AugmentSpec.num(distortion)
                    + (interp == Warp.Interp.BILINEAR ? "" : ",interp=" + AugmentSpec.word(interp))
                    + (fill == 0 ? "" : ",fill=" + fill) + ")";
        }
    }

    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo == hi ? lo : lo + rng.nextDouble() * (hi - lo);
    }
}
