/**
 * Pictures and rendered reports, made from the value objects of the packages below it: image grids,
 * charts (training curves, the {@link dev.tuneup.report.LrFinderPlot LR-finder curve}, a study's
 * objective), evaluation plots, {@link dev.tuneup.report.EvalReport} (an evaluation's terminal text,
 * {@code eval.json} and plots), {@link dev.tuneup.report.Gallery} files (images singled out, with ids
 * and labels) and the self-contained HTML report: {@link dev.tuneup.report.ReportKind} tells a folder's
 * kind, {@link dev.tuneup.report.FolderReport} reads it into a {@link dev.tuneup.report.ReportPage}, and
 * {@link dev.tuneup.report.HtmlReport} renders that, every text escaped by {@link dev.tuneup.report.Html}.
 * Computing packages never draw: whoever wants a picture calls this package with the result, so
 * {@code evaluate} and {@code train} do not depend on it; it reads no {@code tune} or {@code track}
 * class (a study's numbers and the run store's lineage reach it through the workflow layer).
 */
package dev.tuneup.report;
