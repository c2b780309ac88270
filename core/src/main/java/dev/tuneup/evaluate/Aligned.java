package dev.tuneup.evaluate;

import dev.tuneup.data.ImageSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A labelled image set re-expressed in a model's classes: each of the set's class names is mapped
 * to the model's class of the same name (ignoring case), or through an explicit mapping; images of
 * classes the model does not know are set aside and counted, never crashed on.
 *
 * @param known   the images of known classes, labelled with the model's class ids
 * @param indices each known image's position in the original set
 * @param unknown images per class name the model does not know
 */
public record Aligned(ImageSet known, int[] indices, Map<String, Integer> unknown) {

    /** @param mapping data class name to model class name, overriding the same-name rule (may be empty) */
    public static Aligned of(ImageSet set, List<String> modelClasses, Map<String, String> mapping) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < modelClasses.size(); i++) {
            byName.put(modelClasses.get(i).toLowerCase(Locale.ROOT), i);
        }
        for (Map.Entry<String, String> m : mapping.entrySet()) {
            if (!byName.containsKey(m.getValue().toLowerCase(Locale.ROOT))) {
                throw new dev.tuneup.TuneupException("class mapping " + m.getKey() + "=" + m.getValue() + " names a class"
                        + " the model does not have", "the model's classes are " + modelClasses);
            }
        }
        int[] map = new int[set.numClasses()];
        for (int c = 0; c < map.length; c++) {
            String name = set.classes().get(c);
            String target = mapping.getOrDefault(name, name);
            map[c] = byName.getOrDefault(target.toLowerCase(Locale.ROOT), -1);
        }
        List<Integer> keep = new ArrayList<>();
        Map<String, Integer> unknown = new LinkedHashMap<>();
        for (int i = 0; i < set.size(); i++) {
            if (map[set.label(i)] >= 0) {
                keep.add(i);
            } else {
                unknown.merge(set.classes().get(set.label(i)), 1, Integer::sum);
            }
        }
        int[] indices = keep.stream().mapToInt(Integer::intValue).toArray();
        ImageSet sub = set.subset(indices);
        int[] labels = new int[sub.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = map[sub.label(i)];
        }
        return new Aligned(sub.withLabels(labels, modelClasses), indices, unknown);
    }

    /**
     * {@code set} at {@code fit}'s size and {@code c} channels: gray becomes RGB by repeating the channel,
     * RGB becomes gray by ITU-R 601 luma (as PIL's "L"), and the size changes by {@code fit}'s rule (a
     * bundle's {@code preprocessing.fit()}). Returns {@code set} itself when it already fits.
     */
    public static ImageSet conform(ImageSet set, dev.tuneup.data.Fit fit, int c) {
        int h = fit.height();
        int w = fit.width();
        if (set.height() == h && set.width() == w && set.channels() == c) {
            return set;
        }
        byte[][] px = new byte[set.size()][];
        String[] src = new String[set.size()];
        for (int i = 0; i < set.size(); i++) {
            dev.tuneup.data.Image im = set.image(i);
            if (im.channels() != c) {
                im = channels(im, c);
            }
            if (im.height() != h || im.width() != w) {
                im = fit.apply(im);
            }
            px[i] = im.pixels();
            src[i] = set.source(i);
        }
        return new ImageSet(h, w, c, set.classes(), px, set.labels(), src);
    }

    private static dev.tuneup.data.Image channels(dev.tuneup.data.Image im, int c) {
        int n = im.height() * im.width();
        byte[] in = im.pixels();
        byte[] out = new byte[n * c];
        for (int p = 0; p < n; p++) {
            if (c == 3) {
                out[3 * p] = in[p];
                out[3 * p + 1] = in[p];
                out[3 * p + 2] = in[p];
            } else {
                int r = in[3 * p] & 0xff;
                int g = in[3 * p + 1] & 0xff;
                int b = in[3 * p + 2] & 0xff;
                out[p] = (byte) ((r * 299 + g * 587 + b * 114 + 500) / 1000);
            }
        }
        return new dev.tuneup.data.Image(im.height(), im.width(), c, out);
    }
}
