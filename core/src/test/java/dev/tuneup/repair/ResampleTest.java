package dev.tuneup.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import dev.tuneup.data.ImageSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oversampling weak classes and applying user corrections, through indices and labels only. */
class ResampleTest {
    @TempDir
    Path dir;

    @Test
    void weakClassesAreRepeatedInProportionToTheirError() {
        ImageSet set = CrossFitTest.bars(10, 1); // 10 images per class
        // errors 0.1, 0.2, 0.3: mean 0.2, factors 1 (floored), 1, 1.5
        ImageSet over = Resample.oversample(set, new double[] {0.1, 0.2, 0.3}, 3);
        assertArrayEquals(new int[] {10, 10, 15}, over.classCounts());
        ImageSet capped = Resample.oversample(set, new double[] {0.0, 0.0, 0.9}, 2);
        assertArrayEquals(new int[] {10, 10, 20}, capped.classCounts());
    }

    @Test
    void correctionsRelabelBySourceAndNameTheBadLine() throws IOException {
        ImageSet set = CrossFitTest.bars(2, 1); // bar0..bar5, labels 0,1,2,0,1,2
        Path csv = dir.resolve("fix.csv");
        Files.writeString(csv, "source,label\nbar0,bottom\nbar4,middle\n");
        Resample.Corrected c = Resample.corrections(set, csv);
        assertEquals(1, c.changed(), "bar4 was already middle");
        assertArrayEquals(new int[] {2, 1, 2, 0, 1, 2}, c.set().labels());
        Files.writeString(csv, "bar0,bottom\nnope,top\n");
        TuneupException e = assertThrows(TuneupException.class, () -> Resample.corrections(set, csv));
        assertTrue(e.getMessage().contains("fix.csv:2") && e.getMessage().contains("'nope'"), e.getMessage());
        Files.writeString(csv, "bar0,zebra\n");
        TuneupException cls = assertThrows(TuneupException.class, () -> Resample.corrections(set, csv));
        assertTrue(cls.getMessage().contains("unknown class 'zebra'"), cls.getMessage());
    }
}
