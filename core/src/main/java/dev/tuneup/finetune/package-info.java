/**
 * Fine-tuning a base model on new data: loading bases (bundles, run folders, TorchScript files with
 * their {@code tuneup.json} metadata, named bases from the model cache), refusing whole exported
 * classifiers, putting a new head on them, layer groups, and the recipes (linear probe, full, fastai-style
 * fine_tune, layer-wise LR decay, gradual unfreezing) built only from the training engine's
 * public parts: frozen-parameter predicates, per-parameter LR multipliers and schedules.
 */
package dev.tuneup.finetune;
