/**
 * Architectures as DJL blocks, built by tuneup itself (DJL's ResNetV1 uses bottleneck units even at
 * depth 18): a configurable small CNN, ResNet for small images (depth 6n+2), a CIFAR-style
 * ResNet-18 and WideResNet-d-k, each with the activation, normalisation and dropout knobs of
 * {@link dev.tuneup.model.ModelSpec}; {@link dev.tuneup.model.ModelStats} counts parameters and FLOPs.
 */
package dev.tuneup.model;
