package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class FitTest {
    /** Oracle: torchvision's Resize(int(size/crop)) + CenterCrop(size) on PIL images (gen_fit_golden.py). */
    @Test
    void matchesTorchvisionEvalTransform() throws IOException {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/fit_torchvision.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        int cases = 0;
        for (JsonNode c : golden.get("cases")) {
            Image src = new Image(c.get("h").asInt(), c.get("w").asInt(), c.get("c").asInt(), bytes(c.get("input")));
            int size = c.get("size").asInt();
            Image out = new Fit(size, size, c.get("crop").asDouble()).apply(src);
            byte[] want = bytes(c.get("output"));
            assertEquals(want.length, out.pixels().length, "size of case " + cases);
            int worst = 0;
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs((want[i] & 0xFF) - (out.pixels()[i] & 0xFF)));
            }
            assertTrue(worst <= 1, "case " + cases + " (" + c.get("h") + "x" + c.get("w") + " -> " + size + ", crop "
                    + c.get("crop") + ") differs from torchvision by " + worst);
            cases++;
        }
        assertEquals(6, cases);
    }

    @Test
    void anImageAlreadyTheSizeIsTakenAsItIs() {
        Image im = new Image(4, 4, 1, new byte[16]);
        assertSame(im, new Fit(4, 4, 0.875).apply(im), "fitting is idempotent: no second crop");
        Image once = new Fit(3, 3, 0.5).apply(new Image(8, 8, 1, ramp(64)));
        assertArrayEquals(once.pixels(), new Fit(3, 3, 0.5).apply(once).pixels());
    }

    @Test
    void theWindowIsTheWholeResizeCroppedBitForBit() {
        Image src = new Image(13, 29, 3, ramp(13 * 29 * 3));
        Image full = Resize.bilinear(src, 40, 70);
        Image win = Resize.window(src, 40, 70, 7, 19, 25, 31);
        byte[] want = new byte[25 * 31 * 3];
        for (int y = 0; y < 25; y++) {
            System.arraycopy(full.pixels(), ((7 + y) * 70 + 19) * 3, want, y * 31 * 3, 31 * 3);
        }
        assertArrayEquals(want, win.pixels());
    }

    @Test
    void aLongStripIsCroppedWithoutResizingAllOfIt() {
        // shorter side 1 -> 36 would make the whole strip 36 x 7.2 million pixels; only the centre is built
        Image strip = new Image(1, 200_000, 1, ramp(200_000));
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        Image out = new Fit(32, 32, 0.875).apply(strip);
        assertEquals(32, out.height());
        assertEquals(32, out.width());
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(after - before < 64L << 20, "allocated " + ((after - before) >> 20) + " MiB");
    }

    @Test
    void refusesFractionsOutsideTheRange() {
        assertThrows(IllegalArgumentException.class, () -> new Fit(32, 32, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new Fit(32, 32, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new Fit(0, 32, 0));
        assertEquals("224 (centre crop, crop fraction 0.875)", new Fit(224, 224, 0.875).toString());
        assertEquals("32 (plain resize)", Fit.resize(32, 32).toString());
    }

    private static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 3);
        }
        return b;
    }

    private static byte[] bytes(JsonNode array) {
        byte[] b = new byte[array.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) array.get(i).asInt();
        }
        return b;
    }
}
