package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
    private static final LoadOptions RGB = LoadOptions.defaults();
    private static final LoadOptions GRAY = LoadOptions.defaults().withChannels(1);

    private static Image decode(byte[] bytes, LoadOptions o) {
        return ImageDecoder.decode(bytes, "x.png", o, 0, 0);
    }

    private static DataException error(byte[] bytes, DataException.Problem expected) {
        DataException e = assertThrows(DataException.class, () -> ImageDecoder.decode(bytes, "dir/bad.img", RGB, 0, 0));
        assertEquals(expected, e.problem(), e.getMessage());
        assertEquals("dir/bad.img", e.source());
        assertTrue(!e.fix().isEmpty());
        return e;
    }

    @Test
    void rgbPngKeepsPixelsInHwcOrder() throws IOException {
        Image im = decode(Fixtures.png(Fixtures.rgb(2, 3, 10, 20, 30)), RGB);
        assertEquals(2, im.height());
        assertEquals(3, im.width());
        assertArrayEquals(new byte[] {10, 20, 30, 11, 20, 30, 12, 20, 30, 10, 21, 30, 11, 21, 30, 12, 21, 30}, im.pixels());
    }

    @Test
    void rgbToGrayUsesItu601Luma() throws IOException {
        Image im = decode(Fixtures.png(Fixtures.rgb(1, 1, 100, 150, 200)), GRAY);
        assertEquals(1, im.channels());
        assertEquals(141, im.get(0, 0, 0)); // (100*19595 + 150*38470 + 200*7471 + 32768) >> 16
    }

    @Test
    void grayIsCopiedIntoRgb() throws IOException {
        BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(0, 0, 0, 7);
        g.getRaster().setSample(1, 0, 0, 250);
        assertArrayEquals(new byte[] {7, 7, 7, (byte) 250, (byte) 250, (byte) 250}, decode(Fixtures.png(g), RGB).pixels());
        assertArrayEquals(new byte[] {7, (byte) 250}, decode(Fixtures.png(g), GRAY).pixels());
        assertArrayEquals(new byte[] {7, (byte) 250}, decode(Fixtures.encode(g, "bmp"), GRAY).pixels());
    }

    @Test
    void paletteImagesAreExpanded() throws IOException {
        byte[] r = {0, (byte) 200};
        byte[] gr = {0, 100};
        byte[] b = {0, 50};
        BufferedImage p = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, gr, b));
        p.getRaster().setSample(1, 0, 0, 1);
        assertArrayEquals(new byte[] {0, 0, 0, (byte) 200, 100, 50}, decode(Fixtures.png(p), RGB).pixels());
    }

    @Test
    void alphaIsDropped() throws IOException {
        BufferedImage a = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        a.setRGB(0, 0, (0x00 << 24) | (10 << 16) | (20 << 8) | 30); // fully transparent
        assertArrayEquals(new byte[] {10, 20, 30}, decode(Fixtures.png(a), RGB).pixels());
    }

    @Test
    void sixteenBitKeepsTheHighByte() throws IOException {
        BufferedImage g16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 0xABCD);
        assertArrayEquals(new byte[] {(byte) 0xAB}, decode(Fixtures.png(g16), GRAY).pixels());

        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {0x1234, 0x8000, 0xFFFF});
        byte[] png = Fixtures.png(new BufferedImage(cm, raster, false, null));
        assertArrayEquals(new byte[] {0x12, (byte) 0x80, (byte) 0xFF}, decode(png, RGB).pixels());
    }

    @Test
    void grayJpegDecodes() throws IOException {
        BufferedImage g = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        byte[] jpg = Fixtures.encode(g, "jpeg");
        Image im = decode(jpg, GRAY);
        assertEquals(8, im.width());
    }

    @Test
    void hugeDeclaredSizeIsRefusedFromTheHeader() throws IOException {
        byte[] png = Fixtures.png(Fixtures.rgb(1, 1, 0, 0, 0));
        // IHDR data starts at byte 16: width, height; its CRC covers bytes 12..28.
        writeInt(png, 16, 20000);
        writeInt(png, 20, 20000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        writeInt(png, 29, (int) crc.getValue());
        assertTrue(png.length < 200);
        DataException e = error(png, DataException.Problem.IMAGE_TOO_LARGE);
        assertTrue(e.getMessage().contains("20000x20000"), e.getMessage());
    }

    @Test
    void truncatedPngAndJpeg() throws IOException {
        byte[] png = Fixtures.png(noise(64, 64));
        error(Arrays.copyOf(png, png.length / 2), DataException.Problem.TRUNCATED);
        byte[] jpg = Fixtures.encode(noise(64, 64), "jpeg");
        error(Arrays.copyOf(jpg, jpg.length * 6 / 10), DataException.Problem.TRUNCATED);
        error(Arrays.copyOf(jpg, jpg.length - 2), DataException.Problem.TRUNCATED); // only the end marker missing
    }

    @Test
    void aBadFileDoesNotSpoilTheNextOneOnTheSameThread() throws IOException {
        byte[] jpg = Fixtures.encode(noise(16, 16), "jpeg");
        byte[] png = Fixtures.png(noise(16, 16));
        for (int round = 0; round < 3; round++) {
            error(Arrays.copyOf(jpg, jpg.length / 2), DataException.Problem.TRUNCATED);
            assertEquals(16, decode(jpg, RGB).width());
            error(Arrays.copyOf(png, png.length / 2), DataException.Problem.TRUNCATED);
            assertEquals(16, decode(png, RGB).width());
        }
    }

    @Test
    void truncatedInTheHeader() throws IOException {
        byte[] png = Fixtures.png(noise(8, 8));
        DataException e = assertThrows(DataException.class, () -> decode(Arrays.copyOf(png, 20), RGB));
        assertTrue(e.problem() == DataException.Problem.TRUNCATED || e.problem() == DataException.Problem.NOT_AN_IMAGE,
                e.getMessage());
    }

    @Test
    void textFileNamedJpgAndEmptyFile() {
        DataException e = error("just some text\n".getBytes(StandardCharsets.UTF_8), DataException.Problem.NOT_AN_IMAGE);
        assertTrue(e.getMessage().contains("not a PNG, JPEG or BMP image"), e.getMessage());
        error(new byte[0], DataException.Problem.EMPTY);
    }

    @Test
    void cmykJpegIsRefusedWithAMessage() throws IOException {
        byte[] cmyk = fourChannelJpeg();
        DataException e = error(cmyk, DataException.Problem.UNSUPPORTED_IMAGE);
        assertTrue(e.fix().contains("RGB"), e.fix());
    }

    @Test
    void resizesToTheTargetSize() throws IOException {
        Image im = ImageDecoder.decode(Fixtures.png(noise(20, 10)), "a.png", RGB, 5, 4);
        assertEquals(5, im.height());
        assertEquals(4, im.width());
    }

    /** Oracle: PIL's BILINEAR resize, generated by core/src/test/python/gen_resize_golden.py. */
    @Test
    void resizeMatchesPilBilinear() throws IOException {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/resize_pil.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        for (JsonNode c : golden.get("cases")) {
            int h = c.get("h").asInt();
            int w = c.get("w").asInt();
            int ch = c.get("c").asInt();
            Image src = new Image(h, w, ch, bytes(c.get("input")));
            Image out = Resize.bilinear(src, c.get("nh").asInt(), c.get("nw").asInt());
            byte[] want = bytes(c.get("output"));
            int worst = 0;
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs((want[i] & 0xFF) - (out.pixels()[i] & 0xFF)));
            }
            assertTrue(worst <= 1, "case " + c.get("h") + "x" + c.get("w") + " -> " + c.get("nh") + "x" + c.get("nw")
                    + " differs from PIL by " + worst);
        }
    }

    private static byte[] bytes(JsonNode array) {
        byte[] b = new byte[array.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) array.get(i).asInt();
        }
        return b;
    }

    static BufferedImage noise(int h, int w) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                im.setRGB(x, y, rng.nextInt(1 << 24));
            }
        }
        return im;
    }

    /** A JPEG with four colour components (what CMYK files are), written from a raw raster. */
    private static byte[] fourChannelJpeg() throws IOException {
        WritableRaster r = java.awt.image.Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8, 8, 4, null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(r, null, null), null);
        }
        writer.dispose();
        return out.toByteArray();
    }

    private static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
