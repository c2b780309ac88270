package dev.tuneup.model;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import java.util.List;

/**
 * fastai's MLP classifier head ({@code create_head} with {@code lin_ftrs}) on features [N, F]: for each
 * hidden width {@code w}, BatchNorm1d, dropout {@code p / 2}, Linear(w, no bias) and ReLU; then BatchNorm1d,
 * dropout {@code p} and the Linear classifier (no bias, as fastai's, since BatchNorm precedes it).
 * A recipe treats the whole block as one layer, the head.
 */
public final class MlpHead extends SequentialBlock {
    /**
     * @param hidden  hidden widths, at least one, each >= 1
     * @param classes output classes
     * @param dropout {@code p}: the last dropout's rate; the hidden layers' is half of it
     */
    public MlpHead(List<Integer> hidden, int classes, double dropout) {
        if (hidden.isEmpty() || hidden.stream().anyMatch(w -> w == null || w < 1)) {
            throw new IllegalArgumentException("an MLP head needs hidden widths >= 1, got " + hidden);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("head dropout must be in [0, 1), got " + dropout);
        }
        for (int w : hidden) {
            block(w, dropout / 2);
            add(Activation.reluBlock());
        }
        block(classes, dropout);
    }

    private void block(int units, double p) {
        add(BatchNorm.builder().build());
        if (p > 0) {
            add(Dropout.builder().optRate((float) p).build());
        }
        add(Linear.builder().setUnits(units).optBias(false).build());
    }
}
