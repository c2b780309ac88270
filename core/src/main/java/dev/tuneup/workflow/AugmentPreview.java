package dev.tuneup.workflow;

import dev.tuneup.TuneupException;
import dev.tuneup.augment.AugmentSpec;
import dev.tuneup.augment.Pipeline;
import dev.tuneup.augment.Preview;
import dev.tuneup.config.ConfigException;
import dev.tuneup.data.ImageSet;
import dev.tuneup.report.ImageGrid;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code tuneup augment preview}: originals and augmented draws as a PNG grid. */
public final class AugmentPreview {
    private AugmentPreview() {
    }

    /** The pipeline of an augmentation spec; a bad spec is a usage error naming the problem. */
    public static Pipeline parse(String spec) {
        try {
            return AugmentSpec.parse(spec).pipeline();
        } catch (IllegalArgumentException e) {
            throw ConfigException.of("augmentation '" + spec + "': " + e.getMessage(), "see docs/augment.md");
        }
    }

    /** {@code rows} images of {@code set}, each with {@code draws} augmented copies, into {@code png}. */
    public static void write(ImageSet set, Pipeline pipeline, int rows, int draws, long seed, Path png) throws IOException {
        List<Preview.Row> grid;
        try {
            grid = Preview.rows(set, pipeline, rows, draws, seed);
        } catch (IllegalArgumentException e) {
            throw new TuneupException("augmentation '" + pipeline + "' cannot run on " + set.height() + "x"
                    + set.width() + " images: " + e.getMessage(), "adjust the sizes in the augmentation to the data");
        }
        int scale = Math.max(1, 96 / Math.max(set.height(), set.width()));
        ImageGrid.writePng(ImageGrid.draw(grid.stream().map(Preview.Row::images).toList(),
                grid.stream().map(Preview.Row::caption).toList(), scale), png);
    }
}
