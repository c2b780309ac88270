package dev.tuneup.augment;

/**
 * {@code replay(p=0.5)}: with probability {@code p} an image skips every op after this one and is
 * trained on as the ops before it left it. Targeted repair puts it between the run's own
 * augmentation and the ops aimed at a weakness, so a stated share of every epoch replays the data as
 * the model learned it and the rest shows the weakness (continual learning's replay against
 * forgetting). The pipeline does the skipping; the op itself changes nothing.
 */
record Replay() implements Marker {
    @Override
    public double defaultProbability() {
        return 0.5;
    }

    @Override
    public String toString() {
        return "replay";
    }
}
