/**
 * Small kernels several core packages share, written once: {@link dev.tuneup.internal.Indices} (border
 * reflection, argmax). Not API: only tuneup-core's own packages may use it, and it uses none of them
 * (checked by the {@code ArchitectureTest}s of core and serve); the server and the CLI go through the
 * public packages.
 */
package dev.tuneup.internal;
