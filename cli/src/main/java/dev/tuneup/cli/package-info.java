/**
 * The {@code tuneup} command: one thin picocli class per command over tuneup-core. {@link
 * dev.tuneup.cli.Main} maps errors once to exit codes (0 ok, 1 failure, 2 usage) and prints a
 * one-line cause and fix; {@code --stacktrace} adds the stack trace.
 */
package dev.tuneup.cli;
