package dev.tuneup.evaluate;

import dev.tuneup.TuneupException;
import dev.tuneup.data.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Digital corruptions: pixelation and a JPEG round trip. */
final class CorruptionDigital {
    static final double[] PIXELATE_FRACTION = {0.95, 0.9, 0.85, 0.75, 0.65};
    static final int[] JPEG_QUALITY = {80, 65, 58, 50, 40};

    private CorruptionDigital() {
    }

    /** Box-downsample (area average) to a fraction of the size, then back up by nearest neighbour. */
    static Image pixelate(Image im, int s) {
        int h = im.height();
        int w = im.width();
        int c = im.channels();
        int sh = Math.max(1, (int) (h * PIXELATE_FRACTION[s]));
        int sw = Math.max(1, (int) (w * PIXELATE_FRACTION[s]));
        double[][] rows = boxWeights(h, sh);
        double[][] cols = boxWeights(w, sw);
        byte[] p = im.pixels();
        double[] narrow = new double[h * sw * c];
        for (int y = 0; y < h; y++) {
            for (int ox = 0; ox < sw; ox++) {
                for (int x = (int) (ox * (double) w / sw); x < w && cols[ox][x] != 0; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        narrow[(y * sw + ox) * c + ch] += cols[ox][x] * (p[(y * w + x) * c + ch] & 0xFF);
                    }
                }
            }
        }
        double[] small = new double[sh * sw * c];
        for (int oy = 0; oy < sh; oy++) {
            for (int y = (int) (oy * (double) h / sh); y < h && rows[oy][y] != 0; y++) {
                for (int i = 0; i < sw * c; i++) {
                    small[oy * sw * c + i] += rows[oy][y] * narrow[y * sw * c + i];
                }
            }
        }
        byte[] out = new byte[p.length];
        for (int y = 0; y < h; y++) {
            int sy = Math.min(sh - 1, (int) ((y + 0.5) * sh / h));
            for (int x = 0; x < w; x++) {
                int sx = Math.min(sw - 1, (int) ((x + 0.5) * sw / w));
                for (int ch = 0; ch < c; ch++) {
                    out[(y * w + x) * c + ch] = CorruptionPixels.u8(small[(sy * sw + sx) * c + ch]);
                }
            }
        }
        return CorruptionPixels.with(im, out);
    }

    /** weights[o][i]: the share of input cell i in output cell o when n cells shrink to m (rows sum to 1). */
    static double[][] boxWeights(int n, int m) {
        double[][] weights = new double[m][n];
        double span = (double) n / m;
        for (int o = 0; o < m; o++) {
            double lo = o * span;
            double hi = lo + span;
            for (int i = (int) Math.floor(lo); i < n && i < hi; i++) {
                weights[o][i] = (Math.min(hi, i + 1) - Math.max(lo, i)) / span;
            }
        }
        return weights;
    }

    /** Encodes with ImageIO's JPEG writer at the severity's quality and decodes again. */
    static Image jpeg(Image im, int s) {
        int h = im.height();
        int w = im.width();
        int c = im.channels();
        BufferedImage bi = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        bi.getRaster().setPixels(0, 0, w, h, toInts(im.pixels()));
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageWriter writer = first(ImageIO.getImageWritersByFormatName("jpeg"));
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY[s] / 100f);
                writer.setOutput(out);
                writer.write(null, new IIOImage(bi, null, null), param);
            } finally {
                writer.dispose();
            }
            ImageReader reader = first(ImageIO.getImageReadersByFormatName("jpeg"));
            BufferedImage back;
            try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(
                    new ByteArrayInputStream(bytes.toByteArray()))) {
                reader.setInput(in);
                back = reader.read(0);
            } finally {
                reader.dispose();
            }
            int[] v = back.getRaster().getPixels(0, 0, w, h, (int[]) null);
            if (v.length != im.pixels().length) {
                throw new IOException("decoded " + back.getRaster().getNumBands() + " bands, expected " + c);
            }
            byte[] out = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = (byte) v[i];
            }
            return CorruptionPixels.with(im, out);
        } catch (IOException e) {
            throw new TuneupException("JPEG round trip failed: " + e.getMessage(),
                    "this is a tuneup bug; rerun with --stacktrace and report the trace", e);
        }
    }

    static int[] toInts(byte[] p) {
        int[] v = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = p[i] & 0xFF;
        }
        return v;
    }

    private static <T> T first(Iterator<T> it) throws IOException {
        if (!it.hasNext()) {
            throw new IOException("this Java runtime has no JPEG codec in ImageIO");
        }
        return it.next();
    }
}
