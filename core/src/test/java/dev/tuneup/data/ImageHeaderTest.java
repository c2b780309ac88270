package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * The header probe reads sizes without decoding, and {@link ImageHeader#decodeBytes} bounds what
 * {@link ImageDecoder#decode} really allocates, measured per thread (HotSpot's allocation counter)
 * for every pixel layout ImageIO writes and for thin strips, where the resize's buffers dominate.
 */
class ImageHeaderTest {
    private static byte[] encode(BufferedImage im, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(im, format, out), "no writer for " + format);
        return out.toByteArray();
    }

    private static BufferedImage interleaved(int colorSpace, int bands, int type, boolean alpha, int w, int h) {
        int[] offsets = new int[bands];
        for (int i = 0; i < bands; i++) {
            offsets[i] = i;
        }
        return ImageTypeSpecifier.createInterleaved(ColorSpace.getInstance(colorSpace), offsets, type, alpha, false)
                .createBufferedImage(w, h);
    }

    private static long allocated(Runnable r) {
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        r.run(); // warm: the thread's cached reader and any class loading are not the image's cost
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            long before = t.getThreadAllocatedBytes(id);
            r.run();
            best = Math.min(best, t.getThreadAllocatedBytes(id) - before);
        }
        return best;
    }

    private static void assumeAllocationCounter() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count allocated bytes per thread");
    }

    @Test
    void theHeaderDeclaresSizeAndLayoutWithoutDecoding() throws IOException {
        assumeAllocationCounter();
        byte[] strip = encode(new BufferedImage(39_000_000, 1, BufferedImage.TYPE_BYTE_GRAY), "png");
        assertTrue(strip.length < 100_000, strip.length + " bytes");
        ImageHeader h = ImageDecoder.header(strip, "strip.png");
        assertEquals(new ImageHeader("png", 39_000_000, 1, 8, true), h);
        assertEquals("39000000x1 8-bit grey PNG", h.describe());
        long bytes = allocated(() -> ImageDecoder.header(strip, "strip.png"));
        assertTrue(bytes < 1 << 20, "reading the header allocated " + bytes + " bytes");
        // decoding it to a 16x16 RGB model input would take over a gigabyte (31 bytes per pixel, measured below on 1,000,000x1)
        assertTrue(h.decodeBytes(3, 16, 16) > 1_000_000_000L, h.decodeBytes(3, 16, 16) + " bytes");
        ImageHeader rgb = ImageDecoder.header(encode(new BufferedImage(5, 4, BufferedImage.TYPE_3BYTE_BGR), "jpeg"), "x");
        assertEquals(new ImageHeader("jpeg", 5, 4, 24, false), rgb);
        assertEquals(DataException.Problem.NOT_AN_IMAGE, assertThrows(DataException.class,
                () -> ImageDecoder.header("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8), "x")).problem());
        byte[] png = encode(new BufferedImage(5, 4, BufferedImage.TYPE_3BYTE_BGR), "png");
        assertThrows(DataException.class, () -> ImageDecoder.header(java.util.Arrays.copyOf(png, 20), "x"));
    }

    @Tag("reliability")
    @Test
    void theDecodeCostBoundsWhatDecodingAllocates() throws IOException {
        assumeAllocationCounter();
        int w = 600;
        int h = 400;
        Map<String, byte[]> kinds = new LinkedHashMap<>();
        kinds.put("grey png", encode(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY), "png"));
        kinds.put("rgb png", encode(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), "png"));
        kinds.put("rgba png", encode(new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR), "png"));
        kinds.put("palette png", encode(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED), "png"));
        kinds.put("bilevel png", encode(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY), "png"));
        kinds.put("grey+alpha png", encode(interleaved(ColorSpace.CS_GRAY, 2, DataBuffer.TYPE_BYTE, true, w, h), "png"));
        kinds.put("16-bit grey png", encode(new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY), "png"));
        kinds.put("16-bit rgb png", encode(interleaved(ColorSpace.CS_sRGB, 3, DataBuffer.TYPE_USHORT, false, w, h), "png"));
        kinds.put("16-bit rgba png", encode(interleaved(ColorSpace.CS_sRGB, 4, DataBuffer.TYPE_USHORT, true, w, h), "png"));
        kinds.put("rgb jpeg", encode(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), "jpeg"));
        kinds.put("grey jpeg", encode(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY), "jpeg"));
        kinds.put("rgb bmp", encode(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), "bmp"));
        kinds.put("bilevel bmp", encode(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY), "bmp"));
        kinds.put("wide grey strip", encode(new BufferedImage(1_000_000, 1, BufferedImage.TYPE_BYTE_GRAY), "png"));
        kinds.put("tall grey strip", encode(new BufferedImage(1, 1_000_000, BufferedImage.TYPE_BYTE_GRAY), "png"));
        kinds.put("wide rgb strip", encode(new BufferedImage(500_000, 1, BufferedImage.TYPE_3BYTE_BGR), "png"));
        StringBuilder report = new StringBuilder();
        for (var e : kinds.entrySet()) {
            ImageHeader header = ImageDecoder.header(e.getValue(), e.getKey());
            for (int channels : new int[] {3, 1}) {
                for (int size : new int[] {16, 0}) {
                    LoadOptions o = LoadOptions.defaults().withChannels(channels).withMaxPixels(2_000_000);
                    long used = allocated(() -> ImageDecoder.decode(e.getValue(), e.getKey(), o, size, size));
                    long bound = header.decodeBytes(channels, size, size);
                    String line = String.format(java.util.Locale.ROOT, "%s to %dx%dx%d: allocated %d, bound %d (%.2fx)",
                            e.getKey(), size, size, channels, used, bound, bound / (double) used);
                    report.append(line).append('\n');
                    assertTrue(used <= bound, "under-estimated: " + line);
                    assertTrue(bound <= 2.5 * used + 65_536, "wasteful: " + line);
                }
            }
        }
        System.out.print(report);
    }
}
