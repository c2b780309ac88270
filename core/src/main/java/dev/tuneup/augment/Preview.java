package dev.tuneup.augment;

import dev.tuneup.data.Image;
import dev.tuneup.data.ImageSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What {@code tuneup augment preview} shows: {@code rows} images, one class after another so every
 * class appears, each followed by {@code draws} augmented versions. Deterministic per seed.
 */
public final class Preview {
    private Preview() {
    }

    /** A row: the source image's class name, the original, then the draws. */
    public record Row(String caption, List<Image> images) {
    }

    public static List<Row> rows(ImageSet set, Pipeline pipeline, int rows, int draws, long seed) {
        SplittableRandom pick = new SplittableRandom(seed);
        int[] counts = set.classCounts();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < set.size(); i++) {
            byClass.get(set.label(i)).add(i);
        }
        List<Row> out = new ArrayList<>();
        int cls = 0;
        while (out.size() < Math.min(rows, set.size())) {
            List<Integer> members = byClass.get(cls % counts.length);
            cls++;
            if (members.isEmpty()) {
                continue;
            }
            int i = members.get(pick.nextInt(members.size()));
            List<Image> images = new ArrayList<>();
            images.add(set.image(i));
            for (int d = 0; d < draws; d++) {
                images.add(pipeline.apply(set.image(i), new SplittableRandom(pick.nextLong())));
            }
            out.add(new Row(set.classes().get(set.label(i)), images));
        }
        return out;
    }
}
