package dev.tuneup.augment;

/**
 * {@code jsd(weight=12)}: splits the pipeline into views for AugMix's consistency training
 * (Hendrycks et al., "AugMix", ICLR 2020). The ops before it make the clean view, which the
 * classification loss sees; the ops after it are drawn twice more on that clean image, and the
 * loss adds {@code weight} times the Jensen-Shannon divergence between the model's predictions on
 * the three views (the loader emits them, {@code FitLoop} adds the term). Applied as a plain
 * pipeline (previews) the image stops here: it is the clean view.
 */
record Consistency(double weight) implements Marker {
    Consistency {
        if (!(weight > 0 && weight <= 1000)) {
            throw new IllegalArgumentException("jsd: weight must be in (0, 1000], got " + weight);
        }
    }

    @Override
    public String toString() {
        return "jsd(weight=" + AugmentSpec.num(weight) + ")";
    }
}
