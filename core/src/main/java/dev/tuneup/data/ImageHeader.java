package dev.tuneup.data;

import java.util.Locale;

/**
 * What an encoded image declares about itself, read from its header by
 * {@link ImageDecoder#header} without decoding a pixel, and what decoding it will cost.
 *
 * <p>A file's size says nothing about its decoded size: a 38 KB PNG can declare 39,000,000x1
 * pixels. {@link #decodeBytes} bounds the heap that {@link ImageDecoder#decode} allocates for the
 * image (raster, conversion copies, the resize's filter weights and intermediate rows), so a server
 * can charge that cost against a memory budget before it starts.
 *
 * @param format       {@code png}, {@code jpeg} or {@code bmp} (from the first bytes, not a file name)
 * @param width        declared width in pixels
 * @param height       declared height in pixels
 * @param bitsPerPixel bits of one pixel in the decoder's raw raster (all bands; 8 for 8-bit grey,
 *                     24 for RGB, 64 for 16-bit RGBA; 1 for bilevel)
 * @param gray8        8-bit grey without a palette: decoded into a byte raster and copied once
 */
public record ImageHeader(String format, int width, int height, int bitsPerPixel, boolean gray8) {
    public long pixels() {
        return (long) width * height;
    }

    /**
     * An upper bound on the bytes {@link ImageDecoder#decode} allocates on the heap for this image
     * when it converts to {@code channels} and resizes to {@code outHeight x outWidth} (0x0: no resize).
     *
     * <p>Per pixel: the raw raster ({@code R = ceil(bitsPerPixel / 8)} bytes) and the output
     * ({@code channels}); 8-bit grey adds one copy, anything else up to {@code R + 8} more (an ARGB
     * int per pixel, an RGB copy, 16-bit samples). Per column and row: PNG's row buffers, and the
     * resize's filter weights (12 bytes per source column and row when shrinking) and its horizontal
     * pass ({@code height x outWidth x channels} floats, which dominates for tall thin images).
     * Measured against the allocation of every kind in {@code ImageHeaderTest}.
     */
    public long decodeBytes(int channels, int outHeight, int outWidth) {
        long n = pixels();
        long raster = (bitsPerPixel + 7) / 8;
        long perPixel = gray8 ? raster + 1 + channels + 1 : 2 * raster + channels + 8;
        long bytes = n * perPixel + 3 * width * raster + 8192;
        if (outHeight > 0 && (outHeight != height || outWidth != width)) {
            bytes += filterBytes(width, outWidth) + filterBytes(height, outHeight)
                    + 4L * height * outWidth * channels + (long) outHeight * outWidth * channels;
        }
        return bytes;
    }

    /** Resize.Filter: a double and a float per tap, about 2x{@code in} taps when shrinking, 4 per output when enlarging. */
    private static long filterBytes(long in, long out) {
        return 24 * in + 96 * out;
    }

    /** For messages: {@code 39000000x1 8-bit grey PNG}. */
    public String describe() {
        String kind = gray8 ? "8-bit grey" : bitsPerPixel + "-bit";
        return width + "x" + height + " " + kind + " " + format.toUpperCase(Locale.ROOT);
    }
}
