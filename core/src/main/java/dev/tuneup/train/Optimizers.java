package dev.tuneup.train;

import ai.djl.ndarray.NDArray;

/** The optimisers: SGD (momentum, Nesterov), Adam, AdamW, RMSprop and Lion, each as torch.optim computes it. */
public final class Optimizers {
    private Optimizers() {
    }

    /** SGD; with momentum the first step sets the buffer to the gradient (torch, dampening 0). */
    public static Optimizer sgd(double momentum, boolean nesterov, boolean decoupled) {
        return new Optimizer(decoupled) {
            @Override
            protected int slots() {
                return momentum == 0 ? 0 : 1;
            }

            @Override
            protected void update(NDArray w, NDArray g, NDArray[] st, double lr, long t) {
                NDArray d = g;
                if (momentum != 0) {
                    NDArray buf = st[0];
                    if (t == 1) {
                        buf.addi(g);
                    } else {
                        buf.muli(momentum).addi(g);
                    }
                    d = nesterov ? g.add(buf.mul(momentum)) : buf;
                }
                w.subi(d.mul(lr));
            }
        };
    }

    /** Adam (Kingma and Ba, 2015) with coupled L2, or AdamW with {@code decoupled}. */
    public static Optimizer adam(double beta1, double beta2, double eps, boolean decoupled) {
        return new Optimizer(decoupled) {
            @Override
            protected int slots() {
                return 2;
            }

            @Override
            protected void update(NDArray w, NDArray g, NDArray[] st, double lr, long t) {
                st[0].muli(beta1).addi(g.mul(1 - beta1));
                st[1].muli(beta2).addi(g.square().mul(1 - beta2));
                double c1 = 1 - Math.pow(beta1, t);
                double c2 = 1 - Math.pow(beta2, t);
                NDArray denom = st[1].sqrt().div(Math.sqrt(c2)).add(eps);
                w.subi(st[0].div(denom).mul(lr / c1));
            }
        };
    }

    /** RMSprop as torch: {@code sq = a*sq + (1-a)*g^2}, step {@code g / (sqrt(sq) + eps)}, optional momentum. */
    public static Optimizer rmsprop(double alpha, double eps, double momentum) {
        return new Optimizer(false) {
            @Override
            protected int slots() {
                return momentum == 0 ? 1 : 2;
            }

            @Override
            protected void update(NDArray w, NDArray g, NDArray[] st, double lr, long t) {
                st[0].muli(alpha).addi(g.square().mul(1 - alpha));
                NDArray step = g.div(st[0].sqrt().add(eps));
                if (momentum != 0) {
                    st[1].muli(momentum).addi(step);
                    step = st[1];
                }
                w.subi(step.mul(lr));
            }
        };
    }

    /** Lion (Chen et al., 2023): the sign of an interpolated momentum, decoupled weight decay. */
    public static Optimizer lion(double beta1, double beta2) {
        return new Optimizer(true) {
            @Override
            protected int slots() {
                return 1;
            }

            @Override
            protected void update(NDArray w, NDArray g, NDArray[] st, double lr, long t) {
                NDArray c = st[0].mul(beta1).add(g.mul(1 - beta1));
                w.subi(c.sign().mul(lr));
                st[0].muli(beta2).addi(g.mul(1 - beta2));
            }
        };
    }
}
