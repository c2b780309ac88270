package dev.tuneup.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Small generated test files: IDX, CIFAR records, images. */
final class Fixtures {
    private Fixtures() {
    }

    /** An IDX file of unsigned bytes: header for {@code dims} then {@code data}. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0x08);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    /** An RGB image whose pixel (y, x) is (r0 + x, g0 + y, b0), so positions are recognisable. */
    static BufferedImage rgb(int h, int w, int r0, int g0, int b0) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                im.setRGB(x, y, ((r0 + x) << 16) | ((g0 + y) << 8) | b0);
            }
        }
        return im;
    }

    static byte[] encode(BufferedImage im, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(im, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }

    static byte[] png(BufferedImage im) throws IOException {
        return encode(im, "png");
    }
}
