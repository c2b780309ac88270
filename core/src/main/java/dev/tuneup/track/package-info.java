/**
 * Run folders and the run store: a never-overwritten directory per run ({@link dev.tuneup.track.RunDir}) with
 * its resolved config, metrics, provenance, log, checkpoints and run.json (kind, status, lineage);
 * {@link dev.tuneup.track.RunReader} turns a folder into a {@link dev.tuneup.track.RunRecord}, and
 * {@link dev.tuneup.track.RunStore} keeps those records in runs.db beside the runs, rebuildable from the folders.
 */
package dev.tuneup.track;
