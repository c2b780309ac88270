/** Run folders: a never-overwritten directory per run with its resolved config, metrics, provenance, log and checkpoints. */
package dev.tuneup.track;
