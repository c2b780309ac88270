/**
 * The HTTP server ({@code tuneup serve}): predictions with dynamic batching from one model bundle,
 * user feedback and a prediction log in an embedded database, Prometheus metrics and drift against
 * the bundle's validation profile, and an atomic hot swap to a new bundle version. Preprocessing
 * comes only from the bundle (through {@link dev.tuneup.bundle.Predictor}), so serving and
 * evaluation cannot disagree. Nothing here trains. {@link dev.tuneup.serve.Server} wires one handler
 * per endpoint group (predict, feedback, admin) and {@link dev.tuneup.serve.Responses}, which maps
 * every refusal and failure once to a problem body.
 */
package dev.tuneup.serve;
