/**
 * Hyperparameter search: a {@link dev.tuneup.tune.SearchSpace} over run-config keys (YAML, validated
 * against the real config so unknown keys and wrong types fail as they do for {@code --set}),
 * samplers ({@link dev.tuneup.tune.RandomSampler}, {@link dev.tuneup.tune.TpeSampler} after Bergstra
 * et al. 2011 and Optuna's defaults), pruners on the per-epoch validation metric
 * ({@link dev.tuneup.tune.MedianPruner}, {@link dev.tuneup.tune.AshaPruner} after Li et al. 2020),
 * the {@link dev.tuneup.tune.Study} stored in SQLite so an interrupted study resumes without rerunning
 * finished trials, and the {@link dev.tuneup.tune.StudyRunner} that trains each trial in its own
 * process (DJL allows one gradient collector per JVM; a crashed trial must not end the study).
 * Selection only ever sees the validation metric; the test set is read once, by the final refit.
 */
package dev.tuneup.tune;
