/**
 * Data sets: validated parsers for IDX, CIFAR binary, ImageFolder (directory or tar/tar.gz) and CSV
 * manifests; guarded image decoding; the compact in-memory {@link dev.tuneup.data.ImageSet}; named
 * data sets and their search path; deterministic subsets and label noise; data set statistics.
 *
 * <p>Every parser checks sizes against the bytes actually present and raises a
 * {@link dev.tuneup.data.DataException} naming the file and the reason. Nothing is dropped silently:
 * under {@link dev.tuneup.data.BadFilePolicy#SKIP} every skipped file is reported.
 */
package dev.tuneup.data;
