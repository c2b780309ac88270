package dev.tuneup.spark;

import dev.tuneup.data.ImageFiles;
import java.io.Serializable;
import java.util.List;

/**
 * One Spark task's work: pass {@code variant} (index into the job's variants) over the images
 * {@code [first, first + files.size())} of the evaluated set.
 */
record Unit(int variant, String corruption, int severity, int first, List<ImageFiles.File> files)
        implements Serializable {
}
