/**
 * The mechanics shared by tuneup's compact spec languages, each item written
 * {@code name(arg, key=value, (a,b), ...)}: the augmentation pipeline
 * ({@link dev.tuneup.augment.AugmentSpec}) and the learning-rate schedules
 * ({@link dev.tuneup.train.Schedules}). {@link dev.tuneup.spec.SpecArgs} splits such text, binds
 * the arguments to a parameter list and reads them off with errors that name the owner and the
 * argument; each language keeps its own names, defaults, ranges and wording.
 */
package dev.tuneup.spec;
