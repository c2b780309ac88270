/**
 * The model bundle, the unit everything after training passes around: weights, the architecture,
 * class names, the eval preprocessing and provenance in one verified folder, and a
 * {@link dev.tuneup.bundle.Predictor} that can only preprocess the way the bundle says.
 */
package dev.tuneup.bundle;
