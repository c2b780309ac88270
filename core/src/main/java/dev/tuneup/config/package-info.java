/**
 * Run configuration: YAML bound to one immutable record per concern, with built-in defaults,
 * {@code --set key=value} overrides, errors that name the key (with a did-you-mean), and the
 * cross-field checks in one {@link dev.tuneup.config.RunConfig#validate()}.
 */
package dev.tuneup.config;
