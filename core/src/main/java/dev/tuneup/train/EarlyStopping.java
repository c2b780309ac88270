package dev.tuneup.train;

/**
 * Stops the run once the monitored metric has not improved for {@code patience} epochs (Keras'
 * {@code EarlyStopping}). Shares the session's {@link Monitor} and best value with
 * {@link BestKeeper}, and runs before it at each epoch's end; its count lives in the checkpointed
 * position, so a resumed run stops where an uninterrupted one would.
 */
final class EarlyStopping implements FitListener {
    private final TrainingSession s;

    EarlyStopping(TrainingSession session) {
        this.s = session;
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        TrainConfig c = s.config;
        if (c.monitor().improved(m.get(c.monitor().metric()), BestKeeper.best(s))) {
            s.pos.badEpochs = 0;
        } else {
            s.pos.badEpochs++;
        }
        if (c.patience() > 0 && s.pos.badEpochs >= c.patience()) {
            s.requestStop(StopReason.EARLY_STOP, "early stop: " + c.monitor().metric() + " did not improve for "
                    + c.patience() + " epochs");
        }
    }
}
