package dev.tuneup.evaluate;

import dev.tuneup.bundle.Predictor;
import dev.tuneup.data.ImageSet;
import dev.tuneup.internal.Indices;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Test-time augmentation: predictions averaged over deterministic views of each image.
 * {@code flip}: the image and its mirror; {@code flip_crops}: those plus four crops shifted by an
 * eighth of the size toward each corner (reflect padding), mirrored too, 10 views in all. The
 * softmax probabilities of the views are averaged (at the bundle's temperature).
 */
public enum Tta {
    NONE, FLIP, FLIP_CROPS;

    public static Tta parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new dev.tuneup.TuneupException("unknown test-time augmentation '" + s + "'",
                    "use none, flip or flip_crops");
        }
    }

    /** Averaged probabilities for every image. */
    public float[][] probabilities(Predictor p, ImageSet images) {
        List<ImageSet> views = views(images);
        float[][] sum = null;
        for (ImageSet v : views) {
            float[][] pr = p.probabilities(v);
            if (sum == null) {
                sum = pr;
            } else {
                for (int i = 0; i < sum.length; i++) {
                    for (int j = 0; j < sum[i].length; j++) {
                        sum[i][j] += pr[i][j];
                    }
                }
            }
        }
        for (float[] row : sum) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= views.size();
            }
        }
        return sum;
    }

    /** How many views {@code mode} averages (1 for none). */
    public static int views(Tta mode) {
        return switch (mode) {
            case NONE -> 1;
            case FLIP -> 2;
            case FLIP_CROPS -> 10;
        };
    }

    /** The views this mode averages over; the first is always the image itself. */
    public List<ImageSet> views(ImageSet images) {
        List<ImageSet> out = new ArrayList<>(List.of(images));
        if (this == NONE) {
            return out;
        }
        out.add(map(images, 0, 0, true));
        if (this == FLIP_CROPS) {
            int s = Math.max(1, images.height() / 8);
            for (int[] d : new int[][] {{-s, -s}, {-s, s}, {s, -s}, {s, s}}) {
                out.add(map(images, d[0], d[1], false));
                out.add(map(images, d[0], d[1], true));
            }
        }
        return out;
    }

    /** Every image shifted by (dy, dx) with reflection at the borders, optionally mirrored. */
    static ImageSet map(ImageSet set, int dy, int dx, boolean mirror) {
        int h = set.height();
        int w = set.width();
        int c = set.channels();
        byte[][] px = new byte[set.size()][];
        String[] sources = new String[set.size()];
        for (int i = 0; i < set.size(); i++) {
            byte[] src = set.pixels(i);
            byte[] dst = new byte[src.length];
            for (int y = 0; y < h; y++) {
                int sy = Indices.reflect(y + dy, h);
                for (int x = 0; x < w; x++) {
                    int sx = Indices.reflect((mirror ? w - 1 - x : x) + dx, w);
                    System.arraycopy(src, (sy * w + sx) * c, dst, (y * w + x) * c, c);
                }
            }
            px[i] = dst;
            sources[i] = set.source(i);
        }
        return new ImageSet(h, w, c, set.classes(), px, set.labels(), sources);
    }
}
