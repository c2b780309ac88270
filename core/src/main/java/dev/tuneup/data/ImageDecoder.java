package dev.tuneup.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG and BMP bytes into an {@link Image} with guards: the size is read from the
 * header and refused above {@link LoadOptions#maxPixels()} before any pixel is decoded; a decoder
 * warning (a truncated JPEG is only a warning to ImageIO) is an error; ImageIO's disk cache is off.
 *
 * <p>Conversions: palette and 16-bit images become 8-bit (16-bit keeps the high byte); alpha is
 * dropped (as PIL's {@code convert("RGB")} does); gray becomes RGB by copying, RGB becomes gray by
 * ITU-R 601-2 luma (PIL's rule). CMYK JPEGs are refused with a message. Then the image is resized
 * to the target size by the options' {@link Fit} rule when it differs.
 */
public final class ImageDecoder {
    static {
        ImageIO.setUseCache(false);
    }

    private ImageDecoder() {
    }

    /**
     * @param height target height, 0 to keep the image's own size (then width must be 0 too)
     */
    public static Image decode(byte[] bytes, String source, LoadOptions options, int height, int width) {
        String format = formatOf(bytes, source);
        CachedReader cached = READERS.get().computeIfAbsent(format, CachedReader::new);
        ImageReader reader = cached.reader;
        boolean healthy = false;
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            cached.warnings.clear();
            reader.setInput(in, true, true);
            int w;
            int h;
            try {
                w = reader.getWidth(0);
                h = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw damaged(source, format, bytes, e);
            }
            if (w <= 0 || h <= 0 || (long) w * h > options.maxPixels()) {
                healthy = true;
                throw new DataException(source, DataException.Problem.IMAGE_TOO_LARGE, "header declares "
                        + w + "x" + h + " pixels, above the limit of " + options.maxPixels(),
                        "shrink the image, or raise the limit (--max-pixels) if it is genuine");
            }
            BufferedImage image;
            try {
                image = reader.read(0);
            } catch (IOException | RuntimeException e) {
                throw damaged(source, format, bytes, e);
            }
            healthy = true;
            if (!cached.warnings.isEmpty()) {
                throw new DataException(source, DataException.Problem.TRUNCATED, "image data is incomplete ("
                        + String.join("; ", cached.warnings) + ")", "re-export or download the image again");
            }
            Image decoded = toChannels(image, options.channels(), source);
            return height == 0 ? decoded : new Fit(height, width, options.cropFraction()).apply(decoded);
        } catch (IOException e) {
            throw FileBytes.io(source, e);
        } finally {
            reader.setInput(null);
            if (!healthy) {
                // A reader that failed mid-decode may hold broken native state: never reuse it.
                READERS.get().remove(format);
                reader.dispose();
            }
        }
    }

    /** The image format of {@code bytes} by their magic bytes; empty files and non-images are refused. */
    private static String formatOf(byte[] bytes, String source) {
        if (bytes.length == 0) {
            throw new DataException(source, DataException.Problem.EMPTY, "file is empty (0 bytes)",
                    "remove it or replace it with the real image");
        }
        return sniff(bytes, source);
    }

    /**
     * Reads what the image's header declares (format, size, raw pixel layout) without decoding any
     * pixel data, so its decoding cost ({@link ImageHeader#decodeBytes}) is known before it is paid.
     * Damaged headers and non-images are {@link DataException}s as in {@link #decode}.
     */
    public static ImageHeader header(byte[] bytes, String source) {
        String format = formatOf(bytes, source);
        CachedReader cached = READERS.get().computeIfAbsent(format, CachedReader::new);
        ImageReader reader = cached.reader;
        boolean healthy = false;
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            ImageTypeSpecifier raw = w > 0 && h > 0 ? reader.getRawImageType(0) : null;
            int bits = 64; // unknown layouts are charged as the widest ImageIO decodes (16-bit RGBA)
            boolean gray8 = false;
            if (raw != null) {
                bits = 0;
                for (int b = 0; b < raw.getNumBands(); b++) {
                    bits += raw.getBitsPerBand(b);
                }
                gray8 = raw.getBufferedImageType() == BufferedImage.TYPE_BYTE_GRAY;
            }
            healthy = true;
            return new ImageHeader(format, w, h, bits, gray8);
        } catch (IOException | RuntimeException e) {
            throw damaged(source, format, bytes, e);
        } finally {
            reader.setInput(null);
            if (!healthy) {
                READERS.get().remove(format);
                reader.dispose();
            }
        }
    }

    /**
     * One reader per format and thread, reused across images: creating and disposing an ImageIO
     * reader per image cost more than decoding a 32x32 JPEG.
     */
    private static final class CachedReader {
        final ImageReader reader;
        final List<String> warnings = new ArrayList<>();

        CachedReader(String format) {
            reader = ImageIO.getImageReadersByFormatName(format).next();
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
        }
    }

    private static final ThreadLocal<Map<String, CachedReader>> READERS = ThreadLocal.withInitial(HashMap::new);

    /** True when the file ends as its format says it must: JPEG's EOI marker, PNG's IEND chunk, BMP's size. */
    static boolean endsWhole(String format, byte[] b) {
        int n = b.length;
        return switch (format) {
            case "jpeg" -> n >= 4 && (b[n - 2] & 0xFF) == 0xFF && (b[n - 1] & 0xFF) == 0xD9;
            case "png" -> n >= 12 && b[n - 8] == 'I' && b[n - 7] == 'E' && b[n - 6] == 'N' && b[n - 5] == 'D';
            default -> n >= 6 && ((b[2] & 0xFF) | (b[3] & 0xFF) << 8 | (b[4] & 0xFF) << 16 | (b[5] & 0xFF) << 24) <= n;
        };
    }

    /** The format from the first bytes (the file name is not trusted). */
    private static String sniff(byte[] b, String source) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "jpeg";
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "png";
        }
        if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
            return "bmp";
        }
        // the first bytes are not shown: the file may be anything (a manifest can name any path)
        throw new DataException(source, DataException.Problem.NOT_AN_IMAGE, "not a PNG, JPEG or BMP image",
                "remove it, or convert it to PNG or JPEG");
    }

    private static DataException damaged(String source, String formatName, byte[] bytes, Exception e) {
        String format = formatName.toUpperCase(Locale.ROOT);
        String msg = String.valueOf(e.getMessage());
        boolean truncated = !endsWhole(formatName, bytes) || e instanceof EOFException || e.getCause() instanceof EOFException
                || e instanceof IndexOutOfBoundsException || msg.contains("end of") || msg.contains("EOF");
        if (msg.contains("Unsupported Image Type") || msg.contains("Unsupported JPEG process")) {
            return new DataException(source, DataException.Problem.UNSUPPORTED_IMAGE, format
                    + " with an unsupported colour model (likely CMYK or YCCK): " + msg,
                    "convert it to RGB (e.g. 'convert in.jpg -colorspace sRGB out.jpg')", e);
        }
        if (truncated) {
            return new DataException(source, DataException.Problem.TRUNCATED, format + " data ends early ("
                    + msg + ")", "re-export or download the image again", e);
        }
        return new DataException(source, DataException.Problem.NOT_AN_IMAGE, "cannot decode " + format
                + ": " + (e instanceof IIOException ? msg : e.toString()),
                "re-export the image as PNG or JPEG", e);
    }

    /** Converts any decoded image to 8-bit, 1 or 3 channels, HWC. */
    static Image toChannels(BufferedImage image, int channels, String source) {
        int h = image.getHeight();
        int w = image.getWidth();
        int n = h * w;
        Raster raster = image.getRaster();
        boolean gray = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(image.getColorModel() instanceof IndexColorModel);
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
            throw new DataException(source, DataException.Problem.UNSUPPORTED_IMAGE, "CMYK image",
                    "convert it to RGB");
        }
        byte[] out = new byte[n * channels];
        if (gray) {
            byte[] g;
            if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                g = (byte[]) raster.getDataElements(0, 0, w, h, null);
            } else {
                g = new byte[n];
                int shift = raster.getSampleModel().getSampleSize(0) - 8;
                int[] s = raster.getSamples(0, 0, w, h, 0, (int[]) null);
                for (int i = 0; i < n; i++) {
                    g[i] = (byte) (shift >= 0 ? s[i] >> shift : s[i] << -shift);
                }
            }
            if (channels == 1) {
                System.arraycopy(g, 0, out, 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    out[3 * i] = g[i];
                    out[3 * i + 1] = g[i];
                    out[3 * i + 2] = g[i];
                }
            }
            return new Image(h, w, channels, out);
        }
        byte[] rgb = new byte[n * 3];
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getColorModel() instanceof ComponentColorModel
                && raster.getDataBuffer() instanceof DataBufferByte buf && buf.getData().length == n * 3) {
            byte[] bgr = buf.getData();
            for (int i = 0; i < n; i++) {
                rgb[3 * i] = bgr[3 * i + 2];
                rgb[3 * i + 1] = bgr[3 * i + 1];
                rgb[3 * i + 2] = bgr[3 * i];
            }
        } else {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < n; i++) {
                rgb[3 * i] = (byte) (argb[i] >> 16);
                rgb[3 * i + 1] = (byte) (argb[i] >> 8);
                rgb[3 * i + 2] = (byte) argb[i];
            }
        }
        if (channels == 3) {
            return new Image(h, w, 3, rgb);
        }
        for (int i = 0; i < n; i++) {
            int r = rgb[3 * i] & 0xFF;
            int g = rgb[3 * i + 1] & 0xFF;
            int b = rgb[3 * i + 2] & 0xFF;
            out[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
        return new Image(h, w, 1, out);
    }
}
