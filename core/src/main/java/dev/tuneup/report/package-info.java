/**
 * Pictures and rendered reports, made from the value objects of the packages below it: image grids,
 * charts (training curves, the {@link dev.tuneup.report.LrFinderPlot LR-finder curve}, a study's
 * objective), evaluation plots, and {@link dev.tuneup.report.EvalReport} (an evaluation's terminal
 * text, {@code eval.json} and plots). Computing packages never draw: whoever wants a picture calls
 * this package with the result, so {@code evaluate} and {@code train} do not depend on it.
 */
package dev.tuneup.report;
