/**
 * Models that leave tuneup: a bundle's network written as an ONNX model ({@link dev.tuneup.export.OnnxExport}),
 * encoded by a small protobuf writer over protobuf-java's {@code CodedOutputStream} with ONNX's field
 * numbers ({@link dev.tuneup.export.Onnx}), the preprocessing and class names in its metadata.
 */
package dev.tuneup.export;
