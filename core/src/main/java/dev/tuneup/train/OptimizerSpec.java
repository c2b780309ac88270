package dev.tuneup.train;

/**
 * An optimiser and its hyperparameters, resolved from a config's {@code optimizer} section (the
 * learning rate lives in the schedule). {@link #create()} builds a fresh optimiser with no state.
 *
 * @param weightDecay applied to weights (and, with {@code decay1d}, to biases and norm parameters)
 */
public record OptimizerSpec(Kind kind, double momentum, boolean nesterov, double beta1, double beta2, double eps,
                            double alpha, double weightDecay, boolean decay1d) {
    /** The optimisers configs may name, in lower case. */
    public enum Kind {
        SGD, ADAM, ADAMW, RMSPROP, LION
    }

    public Optimizer create() {
        return switch (kind) {
            case SGD -> Optimizers.sgd(momentum, nesterov, false);
            case ADAM -> Optimizers.adam(beta1, beta2, eps, false);
            case ADAMW -> Optimizers.adam(beta1, beta2, eps, true);
            case RMSPROP -> Optimizers.rmsprop(alpha, eps, momentum);
            case LION -> Optimizers.lion(beta1, beta2);
        };
    }
}
