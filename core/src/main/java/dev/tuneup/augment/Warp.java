package dev.tuneup.augment;

import dev.tuneup.data.Image;
import dev.tuneup.internal.Indices;

/**
 * Geometry on uint8 HWC images: padding, cropping, flipping, and inverse-mapped warps (affine,
 * perspective) following torchvision's tensor implementation (its inverse affine matrix, pixel
 * centres at +0.5, {@code grid_sample} with {@code align_corners=False}, results rounded).
 */
final class Warp {
    /** How a warp samples the source. */
    enum Interp {
        NEAREST, BILINEAR
    }

    /** How padding fills the border. */
    enum PadMode {
        ZERO, REFLECT, EDGE
    }

    private Warp() {
    }

    static Image crop(Image im, int top, int left, int h, int w) {
        int c = im.channels();
        byte[] out = new byte[h * w * c];
        for (int y = 0; y < h; y++) {
            System.arraycopy(im.pixels(), ((top + y) * im.width() + left) * c, out, y * w * c, w * c);
        }
        return new Image(h, w, c, out);
    }

    /** Pads {@code pad} pixels on every side. REFLECT mirrors without repeating the edge (numpy's reflect). */
    static Image pad(Image im, int pad, PadMode mode) {
        if (pad == 0) {
            return im;
        }
        int h = im.height();
        int w = im.width();
        int c = im.channels();
        int nh = h + 2 * pad;
        int nw = w + 2 * pad;
        byte[] out = new byte[nh * nw * c];
        for (int y = 0; y < nh; y++) {
            int sy = source(y - pad, h, mode);
            for (int x = 0; x < nw; x++) {
                int sx = source(x - pad, w, mode);
                if (sy < 0 || sx < 0) {
                    continue;
                }
                System.arraycopy(im.pixels(), (sy * w + sx) * c, out, (y * nw + x) * c, c);
            }
        }
        return new Image(nh, nw, c, out);
    }

    private static int source(int i, int n, PadMode mode) {
        if (i >= 0 && i < n) {
            return i;
        }
        switch (mode) {
            case ZERO:
                return -1;
            case EDGE:
                return Math.max(0, Math.min(n - 1, i));
            default:
                return Indices.reflect(i, n);
        }
    }

    static Image flip(Image im, boolean horizontal) {
        int h = im.height();
        int w = im.width();
        int c = im.channels();
        byte[] p = im.pixels();
        byte[] out = new byte[p.length];
        int row = w * c;
        for (int y = 0; y < h; y++) {
            if (!horizontal) {
                System.arraycopy(p, (h - 1 - y) * row, out, y * row, row);
                continue;
            }
            int base = y * row;
            if (c == 3) { // the common case, unrolled
                for (int o = base, s = base + row - 3; o < base + row; o += 3, s -= 3) {
                    out[o] = p[s];
                    out[o + 1] = p[s + 1];
                    out[o + 2] = p[s + 2];
                }
                continue;
            }
            for (int x = 0; x < w; x++) { // gray: an Image has 1 or 3 channels
                out[base + x] = p[base + w - 1 - x];
            }
        }
        return new Image(h, w, c, out);
    }

    /**
     * The {@code h x w} window at ({@code top}, {@code left}) of the image padded by {@code pad},
     * without building the padded image: rows inside copy in one piece, only border pixels are mapped.
     */
    static Image padCrop(Image im, int pad, PadMode mode, int top, int left, int h, int w) {
        int ih = im.height();
        int iw = im.width();
        int c = im.channels();
        byte[] p = im.pixels();
        byte[] out = new byte[h * w * c];
        int x0 = left - pad;
        int inFrom = Math.max(0, -x0);
        int inTo = Math.min(w, iw - x0);
        for (int y = 0; y < h; y++) {
            int sy = source(top - pad + y, ih, mode);
            if (sy < 0) {
                continue;
            }
            int rowIn = sy * iw * c;
            int rowOut = y * w * c;
            if (inTo > inFrom) {
                System.arraycopy(p, rowIn + (x0 + inFrom) * c, out, rowOut + inFrom * c, (inTo - inFrom) * c);
            }
            for (int x = 0; x < w; x++) {
                if (x >= inFrom && x < inTo) {
                    x = inTo - 1;
                    continue;
                }
                int sx = source(x0 + x, iw, mode);
                if (sx >= 0) {
                    for (int ch = 0; ch < c; ch++) {
                        out[rowOut + x * c + ch] = p[rowIn + sx * c + ch];
                    }
                }
            }
        }
        return new Image(h, w, c, out);
    }

    /**
     * torchvision's {@code F.affine}: rotation {@code angle} degrees clockwise, translation in
     * pixels, scale, shear in degrees, about the image centre.
     */
    static Image affine(Image im, double angle, double tx, double ty, double scale, double shearX, double shearY,
                        Interp interp, int fill) {
        return affine(im, angle, tx, ty, scale, shearX, shearY, 0, 0, interp, fill);
    }

    /**
     * As above, about the point ({@code cx}, {@code cy}) given relative to the image centre; torchvision's
     * policy ops shear about the top-left corner, {@code (-w/2, -h/2)}.
     */
    static Image affine(Image im, double angle, double tx, double ty, double scale, double shearX, double shearY,
                        double cx, double cy, Interp interp, int fill) {
        double rot = Math.toRadians(angle);
        double sx = Math.toRadians(shearX);
        double sy = Math.toRadians(shearY);
        double a = Math.cos(rot - sy) / Math.cos(sy);
        double b = -Math.cos(rot - sy) * Math.tan(sx) / Math.cos(sy) - Math.sin(rot);
        double c = Math.sin(rot - sy) / Math.cos(sy);
        double d = -Math.sin(rot - sy) * Math.tan(sx) / Math.cos(sy) + Math.cos(rot);
        double[] m = {d / scale, -b / scale, 0, -c / scale, a / scale, 0};
        m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty) + cx;
        m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty) + cy;
        double hw = im.width() * 0.5;
        double hh = im.height() * 0.5;
        return map(im, interp, fill, (x, y, out) -> {
            double xc = x + 0.5 - hw;
            double yc = y + 0.5 - hh;
            out[0] = m[0] * xc + m[1] * yc + m[2] + hw - 0.5;
            out[1] = m[3] * xc + m[4] * yc + m[5] + hh - 0.5;
        });
    }

    /**
     * torchvision's {@code F.perspective}: the quadrilateral {@code start} (4 corners, x then y)
     * moves to {@code end}.
     */
    static Image perspective(Image im, double[][] start, double[][] end, Interp interp, int fill) {
        double[] k = perspectiveCoefficients(start, end);
        return map(im, interp, fill, (x, y, out) -> {
            double px = x + 0.5;
            double py = y + 0.5;
            double den = k[6] * px + k[7] * py + 1;
            out[0] = (k[0] * px + k[1] * py + k[2]) / den - 0.5;
            out[1] = (k[3] * px + k[4] * py + k[5]) / den - 0.5;
        });
    }

    /** The 8 coefficients mapping output points {@code end} back to {@code start} (solved exactly). */
    static double[] perspectiveCoefficients(double[][] start, double[][] end) {
        double[][] a = new double[8][9];
        for (int i = 0; i < 4; i++) {
            double ex = end[i][0];
            double ey = end[i][1];
            double sx = start[i][0];
            double sy = start[i][1];
            a[2 * i] = new double[] {ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey, sx};
            a[2 * i + 1] = new double[] {0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey, sy};
        }
        for (int col = 0; col < 8; col++) {
            int pivot = col;
            for (int r = col + 1; r < 8; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < 8; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int k = col; k < 9; k++) {
                        a[r][k] -= f * a[col][k];
                    }
                }
            }
        }
        double[] x = new double[8];
        for (int i = 0; i < 8; i++) {
            x[i] = a[i][8] / a[i][i];
        }
        return x;
    }

    /** Where output pixel (x, y) samples the source, as fractional source indices. */
    @FunctionalInterface
    interface Mapping {
        void source(int x, int y, double[] out);
    }

    static Image map(Image im, Interp interp, int fill, Mapping mapping) {
        int h = im.height();
        int w = im.width();
        int c = im.channels();
        byte[] p = im.pixels();
        byte[] out = new byte[p.length];
        double[] s = new double[2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                mapping.source(x, y, s);
                int o = (y * w + x) * c;
                if (interp == Interp.NEAREST) {
                    int sx = (int) Math.rint(s[0]);
                    int sy = (int) Math.rint(s[1]);
                    if (sx >= 0 && sx < w && sy >= 0 && sy < h) {
                        System.arraycopy(p, (sy * w + sx) * c, out, o, c);
                    } else {
                        for (int ch = 0; ch < c; ch++) {
                            out[o + ch] = (byte) fill;
                        }
                    }
                    continue;
                }
                int x0 = (int) Math.floor(s[0]);
                int y0 = (int) Math.floor(s[1]);
                double fx = s[0] - x0;
                double fy = s[1] - y0;
                for (int ch = 0; ch < c; ch++) {
                    double v = 0;
                    double inside = 0;
                    for (int k = 0; k < 4; k++) {
                        int xx = x0 + (k & 1);
                        int yy = y0 + (k >> 1);
                        double wgt = ((k & 1) == 1 ? fx : 1 - fx) * ((k >> 1) == 1 ? fy : 1 - fy);
                        if (xx >= 0 && xx < w && yy >= 0 && yy < h) {
                            v += wgt * (p[(yy * w + xx) * c + ch] & 0xFF);
                            inside += wgt;
                        }
                    }
                    v += (1 - inside) * fill;
                    out[o + ch] = (byte) Math.max(0, Math.min(255, Math.rint(v)));
                }
            }
        }
        return new Image(h, w, c, out);
    }
}
