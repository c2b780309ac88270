/**
 * Apache Spark jobs for tuneup's embarrassingly parallel work, found by the CLI with
 * {@link java.util.ServiceLoader}: {@link dev.tuneup.spark.SparkPrediction} ({@code eval --spark}: a
 * bundle's predictions over many image files, clean and under the corruption suite, one task per (pass,
 * slice of images); core computes every metric from the logits it returns), {@link dev.tuneup.spark.SparkFolds}
 * ({@code label-issues --spark}: one cross-fitting fold per task) and {@link dev.tuneup.spark.SparkTrials}
 * ({@code tune --spark}: one trial per task, the study store staying on the driver). Spark's dependency
 * tree lives only in this module (docs/spark.md).
 */
package dev.tuneup.spark;
