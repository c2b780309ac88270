/**
 * tuneup bundles in plain DJL: {@link dev.tuneup.djl.BundleBlockFactory} rebuilds a bundle's network
 * with its weights, {@link dev.tuneup.djl.BundleTranslatorFactory} makes translators that preprocess
 * and post-process exactly as tuneup's Predictor, and {@link dev.tuneup.djl.TuneupBundles} names the
 * criteria arguments. A bundle written with {@code serving.properties} needs only
 * {@code Criteria.builder().optModelPath(bundle)}.
 */
package dev.tuneup.djl;
