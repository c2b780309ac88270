package dev.tuneup.repair;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.tuneup.TuneupException;
import dev.tuneup.data.ImageSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Training-set changes for repair, through indices and labels only (files never move): oversampling
 * the classes a model gets wrong most, and user corrections from a CSV of {@code source,label}.
 */
public final class Resample {
    private Resample() {
    }

    /**
     * Each class's images repeated about {@code error_c / mean(error)} times (at least once, at most
     * {@code maxFactor} times): classes with above-average error get proportionally more steps.
     *
     * @param error per-class error rate (1 - recall) of the current model on held-out data
     */
    public static ImageSet oversample(ImageSet train, double[] error, double maxFactor) {
        double mean = 0;
        for (double e : error) {
            mean += e / error.length;
        }
        List<Integer> idx = new ArrayList<>();
        double[] carry = new double[error.length];
        for (int i = 0; i < train.size(); i++) {
            int c = train.label(i);
            double f = mean <= 0 ? 1 : Math.max(1, Math.min(maxFactor, error[c] / mean));
            carry[c] += f;
            while (carry[c] >= 1 - 1e-9) { // spread the fractional part evenly over the class (1e-9: 0.3/0.2 is not 1.5)
                idx.add(i);
                carry[c] -= 1;
            }
        }
        return train.subset(idx.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The corrected training set and how many labels changed. */
    public record Corrected(ImageSet set, int changed) {
    }

    /**
     * Applies a CSV of corrections, one {@code source,label} row per image (an optional header row
     * {@code source,label}); sources are as tuneup records them (e.g. {@code train/cat/12.png} or
     * {@code train-images-idx3-ubyte.gz#42}). An unknown source or class is an error naming the line.
     */
    public static Corrected corrections(ImageSet train, Path csv) {
        Map<String, Integer> bySource = new HashMap<>();
        for (int i = 0; i < train.size(); i++) {
            bySource.put(train.source(i), i);
        }
        int[] labels = train.labels().clone();
        int changed = 0;
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .enable(CsvParser.Feature.TRIM_SPACES).enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        try (MappingIterator<String[]> rows = mapper.readerFor(String[].class).readValues(csv.toFile())) {
            int line = 0;
            while (rows.hasNext()) {
                String[] row = rows.next();
                line++;
                if (line == 1 && row.length > 0 && row[0].equalsIgnoreCase("source")) {
                    continue;
                }
                String where = csv + ":" + line;
                if (row.length != 2) {
                    throw new TuneupException(where + ": expected source,label, found " + String.join(",", row),
                            "one correction per line: the image's source, then its class name");
                }
                Integer i = bySource.get(row[0]);
                if (i == null) {
                    throw new TuneupException(where + ": no training image has source '" + row[0] + "'",
                            "use the source column of label-issues.csv or the serving feedback export");
                }
                int c = train.classes().indexOf(row[1]);
                if (c < 0) {
                    throw new TuneupException(where + ": unknown class '" + row[1] + "'", "classes: " + train.classes());
                }
                changed += labels[i] != c ? 1 : 0;
                labels[i] = c;
            }
        } catch (IOException e) {
            throw new TuneupException("cannot read corrections " + csv + ": " + e.getMessage(), "check the file", e);
        }
        return new Corrected(train.withLabels(labels, train.classes()), changed);
    }
}
