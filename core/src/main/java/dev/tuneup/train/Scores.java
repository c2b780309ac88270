package dev.tuneup.train;

/** A model's loss (mean cross-entropy), top-1 and top-5 accuracy on a set of images. */
public record Scores(double loss, double accuracy, double top5) {
}
