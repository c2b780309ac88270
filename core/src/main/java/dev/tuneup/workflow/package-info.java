/**
 * One façade per verb (train, fine-tune, LR finder, evaluate, analyze, label issues, repair, tune,
 * report, quickstart) over the packages below it. Each takes a resolved config or typed request and a
 * {@link dev.tuneup.workflow.Reporter}, does its work into a run folder and returns a typed result.
 * The CLI and the server call only these; nothing here prints or parses command lines.
 */
package dev.tuneup.workflow;
