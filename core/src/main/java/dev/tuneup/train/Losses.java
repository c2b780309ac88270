package dev.tuneup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Loss terms, as PyTorch defines them: cross-entropy with label smoothing, soft-target cross-entropy
 * for mixup/cutmix, an L1 penalty, and gradient clipping by global norm.
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Mean cross-entropy of {@code logits} (N, K) against integer {@code labels} (N). With smoothing
     * {@code e}, the target is {@code (1-e)} on the label plus {@code e/K} everywhere (Szegedy et
     * al., 2016; torch's {@code label_smoothing}).
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels, double smoothing) {
        return nll(logits.logSoftmax(1), labels, smoothing);
    }

    /** As {@link #crossEntropy} on log-probabilities {@code logp} (N, K) instead of logits. */
    public static NDArray nll(NDArray logp, NDArray labels, double smoothing) {
        NDArray onehot = labels.toType(ai.djl.ndarray.types.DataType.INT64, false).oneHot((int) logp.getShape().get(1))
                .toType(logp.getDataType(), false);
        NDArray nll = logp.mul(onehot).sum(new int[] {1}).neg();
        if (smoothing == 0) {
            return nll.mean();
        }
        NDArray uniform = logp.mean(new int[] {1}).neg();
        return nll.mul(1 - smoothing).add(uniform.mul(smoothing)).mean();
    }

    /** Mean of {@code -sum(targets * log_softmax(logits))}: the loss for mixed (soft) targets. */
    public static NDArray softCrossEntropy(NDArray logits, NDArray targets, double smoothing) {
        return softNll(logits.logSoftmax(1), targets, smoothing);
    }

    /** As {@link #softCrossEntropy} on log-probabilities {@code logp} (N, K) instead of logits. */
    public static NDArray softNll(NDArray logp, NDArray targets, double smoothing) {
        NDArray t = targets;
        if (smoothing > 0) {
            long k = logp.getShape().get(1);
            t = targets.mul(1 - smoothing).add(smoothing / k);
        }
        return logp.mul(t).sum(new int[] {1}).neg().mean();
    }

    /**
     * Forward loss correction (Patrini et al., CVPR 2017): the model's softmax stands for the true class, and
     * the labels it is trained on are noisy, so the loss is taken on the probabilities of the <em>given</em>
     * labels, {@code q_i = sum_j P(given = i | true = j) p_j}, i.e. {@code log(softmax(logits) @ M^T)} with
     * {@code noise} = M indexed [given][true] (columns sum to 1), clamped at 1e-7 like the JSD term. The
     * network itself keeps predicting the true class.
     */
    public static NDArray forwardLogProbs(NDArray logits, double[][] noise) {
        int k = noise.length;
        float[] mt = new float[k * k]; // M^T, row j = true class
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                mt[j * k + i] = (float) noise[i][j];
            }
        }
        NDArray m = logits.getManager().create(mt, new ai.djl.ndarray.types.Shape(k, k))
                .toType(logits.getDataType(), false);
        return logits.softmax(1).matMul(m).clip(1e-7f, 1f).log();
    }

    /**
     * AugMix's consistency term (Hendrycks et al., 2020; timm's {@code JsdCrossEntropy}): the logits of
     * {@code views} views of {@code n} images, stacked view after view ({@code (views*n, K)}); with
     * {@code p_v} their softmax and {@code M} the mean of the {@code p_v} clamped to {@code [1e-7, 1]},
     * {@code weight * (1/views) * sum_v KL(p_v || M)}, each KL summed over classes and averaged over
     * the {@code n} images.
     */
    public static NDArray jsd(NDArray logits, int views, double weight) {
        long rows = logits.getShape().get(0);
        long k = logits.getShape().get(1);
        if (views < 2 || rows % views != 0) {
            throw new IllegalArgumentException(rows + " rows do not split into " + views + " views");
        }
        long n = rows / views;
        NDArray logp = logits.logSoftmax(1).reshape(views, n, k);
        NDArray p = logp.exp();
        NDArray logMix = p.mean(new int[] {0}).clip(1e-7f, 1f).log().expandDims(0);
        return p.mul(logp.sub(logMix)).sum().div((float) (n * views)).mul((float) weight);
    }

    /** {@code lambda * sum |w|} over the given weights. */
    public static NDArray l1(List<NDArray> weights, double lambda) {
        NDArray total = null;
        for (NDArray w : weights) {
            NDArray s = w.abs().sum();
            total = total == null ? s : total.add(s);
        }
        return total == null ? null : total.mul((float) lambda); // a float scalar keeps float32 sums float32
    }

    /**
     * Scales all gradients so their global L2 norm is at most {@code maxNorm} (torch's
     * {@code clip_grad_norm_}: coefficient {@code maxNorm / (norm + 1e-6)} when below 1). Returns the
     * norm before clipping (NaN or infinite when a gradient is); {@code maxNorm <= 0} only measures.
     */
    public static double clipGradNorm(List<ParamRef> params, double maxNorm) {
        double norm = 0;
        // As torch does it: each gradient's norm, then the norm of those, read once per step; one native
        // call per parameter (the step's overhead budget, StepBudgetTest). Temporaries die with the scope.
        try (NDManager scope = NDManager.newBaseManager()) {
            NDList norms = new NDList();
            for (ParamRef p : params) {
                if (p.weight().hasGradient()) {
                    norms.add(p.gradient(scope).norm());
                }
            }
            if (!norms.isEmpty()) {
                norm = NDArrays.stack(norms).norm().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            }
        }
        if (maxNorm > 0 && Double.isFinite(norm)) {
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1) {
                try (NDManager scope = NDManager.newBaseManager()) {
                    for (ParamRef p : params) {
                        if (p.weight().hasGradient()) {
                            p.gradient(scope).muli(coef);
                        }
                    }
                }
            }
        }
        return norm;
    }

}
