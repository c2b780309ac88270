package dev.tuneup.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.tuneup.data.Image;
import dev.tuneup.data.ImageSet;
import dev.tuneup.loader.Batch;
import dev.tuneup.loader.BatchLoader;
import dev.tuneup.loader.Normalization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Pins the pixels of the colour pipelines: CRC32 checksums of many seeded runs on random images,
 * computed with the per-op implementation (one pass and one new image per op) before its passes were
 * fused. Any change in an output byte fails here; so does writing into the input image. The loader's
 * normalised batches are pinned the same way.
 */
class AugmentGoldenTest {
    private static final String[][] CASES = {
        {"crop(32,pad=4) | hflip | colorjitter(0.2,0.2,0.2)", "aa82c446"},
        {"colorjitter(0.2,0.2,0.2)", "df09fd89"},
        {"colorjitter(0.9,0.9,0.9,0.3)", "30c6d1db"},
        {"colorjitter(2,2,2)", "81836e32"},
        {"colorjitter(0.5,0,0.5)", "e692fee9"},
        {"colorjitter(0,0.5,0,0.2)", "3ac9cc9b"},
        {"brightness(0.6) | contrast(0.6) | saturation(0.6) | hue(0.2)", "321d0a4f"},
        {"contrast(3) | brightness(3)", "d0467bd7"},
        {"hflip | vflip | crop(20,pad=2,mode=reflect)", "23442aac"},
        {"crop(32,pad=4) | hflip | randaugment(n=2,m=9)", "b185e9f1"},
        {"grayscale | invert | posterize(3) | solarize(100) | equalize | autocontrast | sharpness(1.5)", "6013a284"},
    };

    private static List<Image> images() {
        SplittableRandom rng = new SplittableRandom(21);
        List<Image> out = new ArrayList<>();
        int[][] shapes = {{32, 32, 3}, {32, 32, 3}, {32, 32, 3}, {32, 32, 3}, {40, 36, 3}, {33, 32, 1}, {32, 32, 1}};
        for (int[] s : shapes) {
            byte[] noise = new byte[s[0] * s[1] * s[2]];
            byte[] smooth = new byte[noise.length];
            byte[] dark = new byte[noise.length];
            int lo = rng.nextInt(200);
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (byte) rng.nextInt(256);
                smooth[i] = (byte) (lo + (i * 7 / noise.length) * 8 + rng.nextInt(8));
                dark[i] = (byte) (rng.nextInt(4) == 0 ? 255 : rng.nextInt(16));
            }
            out.add(new Image(s[0], s[1], s[2], noise));
            out.add(new Image(s[0], s[1], s[2], smooth));
            out.add(new Image(s[0], s[1], s[2], dark));
        }
        return out;
    }

    private static String checksum(Pipeline p, List<Image> images) {
        CRC32 crc = new CRC32();
        for (int seed = 0; seed < 300; seed++) {
            for (Image im : images) {
                byte[] before = im.pixels().clone();
                Image out = p.apply(im, new SplittableRandom(seed * 131L + im.pixels().length));
                assertArrayEquals(before, im.pixels(), "the input was written to");
                crc.update(out.height());
                crc.update(out.width());
                crc.update(out.pixels());
            }
        }
        return Long.toHexString(crc.getValue());
    }

    @Test
    void outputsMatchThePinnedChecksums() {
        List<Image> images = images();
        StringBuilder got = new StringBuilder();
        for (String[] c : CASES) {
            got.append("{\"").append(c[0]).append("\", \"").append(checksum(AugmentSpec.parse(c[0]).pipeline(), images))
                    .append("\"},\n");
        }
        StringBuilder want = new StringBuilder();
        for (String[] c : CASES) {
            want.append("{\"").append(c[0]).append("\", \"").append(c[1]).append("\"},\n");
        }
        assertEquals(want.toString(), got.toString());
    }

    private static String batchChecksum(int channels, boolean channelsLast) {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 40;
        byte[][] px = new byte[n][32 * 32 * channels];
        int[] labels = new int[n];
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            rng.nextBytes(px[i]);
            labels[i] = i % 2;
            names[i] = "i" + i;
        }
        ImageSet set = new ImageSet(32, 32, channels, List.of("a", "b"), px, labels, names);
        float[] mean = channels == 3 ? new float[] {0.4914f, 0.4822f, 0.4465f} : new float[] {0.5f};
        float[] std = channels == 3 ? new float[] {0.247f, 0.243f, 0.261f} : new float[] {0.25f};
        CRC32 crc = new CRC32();
        try (NDManager m = NDManager.newBaseManager();
             BatchLoader loader = BatchLoader.builder(set).batchSize(16).workers(0).seed(3).channelsLast(channelsLast)
                     .transform(AugmentSpec.parse(CASES[0][0]).pipeline()).normalization(new Normalization(mean, std))
                     .build()) {
            Iterator<Batch> it = loader.epoch(2, m);
            while (it.hasNext()) {
                try (Batch b = it.next()) {
                    for (float v : b.data().toFloatArray()) {
                        crc.update(Float.floatToRawIntBits(v));
                    }
                }
            }
        }
        return Long.toHexString(crc.getValue());
    }

    @Test
    void loaderBatchesMatchThePinnedChecksums() {
        assertEquals("RGB NCHW 433c5174, RGB channels-last 433c5174, gray NCHW 75ead50f", "RGB NCHW " + batchChecksum(3, false)
                + ", RGB channels-last " + batchChecksum(3, true) + ", gray NCHW " + batchChecksum(1, false));
    }

    /** The table-driven saturation against the per-pixel float formula it replaced, on every RGB colour. */
    @Test
    void saturationMatchesTheFloatFormulaOnEveryColour() {
        byte[] p = new byte[256 * 256 * 3];
        byte[] out = new byte[p.length];
        for (float factor : new float[] {0f, 0.8f, 1.1734f, 3.7f}) {
            for (int r = 0; r < 256; r++) {
                for (int i = 0; i < 256 * 256; i++) {
                    p[3 * i] = (byte) r;
                    p[3 * i + 1] = (byte) (i >> 8);
                    p[3 * i + 2] = (byte) i;
                }
                ColorFns.saturate(p, null, out, factor);
                for (int i = 0; i < p.length; i += 3) {
                    int g = p[i + 1] & 0xFF;
                    int b = p[i + 2] & 0xFF;
                    float gray = (1 - factor) * ColorFns.clampTrunc(0.2989f * r + 0.587f * g + 0.114f * b);
                    if (out[i] != (byte) ColorFns.clampTrunc(factor * r + gray)
                            || out[i + 1] != (byte) ColorFns.clampTrunc(factor * g + gray)
                            || out[i + 2] != (byte) ColorFns.clampTrunc(factor * b + gray)) {
                        throw new AssertionError("saturation " + factor + " of " + r + "," + g + "," + b);
                    }
                }
            }
        }
    }
}
