/**
 * Monitoring a served model, in plain Java with no HTTP: {@link dev.tuneup.monitor.Drift} compares
 * what the model predicts on live traffic with its bundle's validation
 * {@link dev.tuneup.bundle.Profile} and says in one sentence whether the inputs have moved.
 */
package dev.tuneup.monitor;
