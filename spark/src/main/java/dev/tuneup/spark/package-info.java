/**
 * Apache Spark jobs for the embarrassingly parallel part of evaluation: a bundle's predictions over
 * many image files, clean and under the corruption suite, one task per (pass, slice of images).
 * {@link dev.tuneup.spark.SparkPrediction} is the {@link dev.tuneup.workflow.DistributedPrediction}
 * that {@code tuneup eval --spark} finds with {@link java.util.ServiceLoader}; core computes every metric
 * from the logits it returns. Spark's dependency tree lives only in this module (docs/spark.md).
 */
package dev.tuneup.spark;
