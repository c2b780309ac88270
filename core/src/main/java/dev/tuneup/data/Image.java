package dev.tuneup.data;

/**
 * One decoded image: 8-bit pixels in height-width-channel (HWC, interleaved) order, 1 (gray) or 3
 * (RGB) channels. The array is owned by whoever holds the record; ops that change pixels make a copy.
 */
public record Image(int height, int width, int channels, byte[] pixels) {
    public Image {
        if (height <= 0 || width <= 0 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("bad image shape " + height + "x" + width + "x" + channels);
        }
        if (pixels.length != height * width * channels) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, shape needs "
                    + (height * width * channels));
        }
    }

    /** Pixel value 0..255 at (y, x, c). */
    public int get(int y, int x, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }
}
