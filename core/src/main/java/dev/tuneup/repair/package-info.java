/**
 * Repair: what to do about the errors an evaluation found. This package owns error analysis, label
 * issues found by confident learning ({@link dev.tuneup.repair.ConfidentLearning}, after Northcutt, Jiang
 * and Chuang, JAIR 2021, following cleanlab's conventions), repair strategies, and the regression gate
 * ({@link dev.tuneup.repair.RegressionGate}) that decides whether a repaired candidate model may
 * replace the current one. The runs that train candidates are in {@code dev.tuneup.workflow}. Everything here is plain Java over arrays of
 * probabilities and labels; no engine is needed.
 */
package dev.tuneup.repair;
