/**
 * Run configuration: YAML bound to one immutable record per concern, with built-in defaults,
 * {@code --set key=value} overrides and typed copies ({@code with...}), errors that name the key
 * (with a did-you-mean), and {@link dev.tuneup.config.RunConfig#resolve()}: every key checked and
 * every closed choice turned into a typed value ({@link dev.tuneup.config.ResolvedRun}) before any
 * data is read, all problems reported at once in a {@link dev.tuneup.config.ConfigException}.
 */
package dev.tuneup.config;
