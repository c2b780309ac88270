package dev.tuneup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tuneup's optimisers, written against NDArrays rather than DJL's {@code Optimizer} (whose
 * RMSprop, Nag, Adagrad and Adadelta fail on PyTorch, and which keys state by random parameter ids
 * and cannot save it). State is keyed by parameter <em>name</em> and exported/imported as a named
 * {@link NDList}, so a checkpoint restores it exactly. Updates follow {@code torch.optim}.
 *
 * <p>Weight decay is coupled (L2: {@code wd * w} added to the gradient) or decoupled (the weight
 * shrunk by {@code lr * wd} before the update, as AdamW, Loshchilov and Hutter, 2019).
 */
public abstract class Optimizer implements AutoCloseable {
    private final NDManager manager = NDManager.newBaseManager();
    private final Map<String, NDArray[]> state = new LinkedHashMap<>();
    private final boolean decoupled;
    private long steps;

    protected Optimizer(boolean decoupled) {
        this.decoupled = decoupled;
    }

    /** State arrays per parameter (e.g. momentum buffer; Adam's two moments). */
    protected abstract int slots();

    /**
     * Updates {@code w} in place from gradient {@code g} (already including coupled L2), with
     * this parameter's state {@code st} (zeros before the first step) at step {@code t} (1-based).
     */
    protected abstract void update(NDArray w, NDArray g, NDArray[] st, double lr, long t);

    /** Completed steps. */
    public long steps() {
        return steps;
    }

    /** One step over every parameter that has a gradient; {@code lr} is the schedule's rate. */
    public void step(List<ParamRef> params, double lr) {
        steps++;
        for (ParamRef p : params) {
            NDArray w = p.weight();
            if (!w.hasGradient()) {
                continue;
            }
            NDArray[] st = slots(p.name(), w);
            try (NDManager scope = NDManager.newBaseManager()) {
                // Results of an op land in its first operand's manager: attaching the operands to this
                // scope for the update makes every temporary die with it, and keeps native memory flat.
                NDArray g = p.gradient(scope);
                w.tempAttach(scope);
                for (NDArray a : st) {
                    a.tempAttach(scope);
                }
                double plr = lr * p.lrScale();
                double wd = p.weightDecay();
                if (wd != 0) {
                    if (decoupled) {
                        w.muli(1 - plr * wd);
                    } else {
                        g = g.add(w.mul(wd));
                    }
                }
                update(w, g, st, plr, steps);
            }
        }
    }

    private NDArray[] slots(String name, NDArray like) {
        return state.computeIfAbsent(name, n -> {
            NDArray[] s = new NDArray[slots()];
            for (int k = 0; k < s.length; k++) {
                s[k] = manager.zeros(like.getShape(), like.getDataType(), like.getDevice());
            }
            return s;
        });
    }

    /** All state as named arrays ({@code name#slot}) plus the step count ({@code #steps}). */
    public NDList exportState() {
        NDList out = new NDList();
        for (Map.Entry<String, NDArray[]> e : state.entrySet()) {
            for (int k = 0; k < e.getValue().length; k++) {
                NDArray a = e.getValue()[k].duplicate();
                a.setName(e.getKey() + "#" + k);
                out.add(a);
            }
        }
        NDArray s = manager.create(new long[] {steps});
        s.setName("#steps");
        out.add(s);
        return out;
    }

    /** Restores {@link #exportState()}'s output; a missing step count or a bad shape is an error. */
    public void importState(NDList saved) {
        state.values().forEach(arrays -> {
            for (NDArray a : arrays) {
                a.close();
            }
        });
        state.clear();
        Long restoredSteps = null;
        for (NDArray a : saved) {
            String name = a.getName();
            if ("#steps".equals(name)) {
                restoredSteps = a.toLongArray()[0];
                continue;
            }
            int hash = name == null ? -1 : name.lastIndexOf('#');
            if (hash < 0) {
                throw new IllegalArgumentException("optimizer state array without a name#slot name: " + name);
            }
            int slot = Integer.parseInt(name.substring(hash + 1));
            if (slot >= slots()) {
                throw new IllegalArgumentException("optimizer state '" + name + "' has slot " + slot + "; "
                        + getClass().getSimpleName() + " keeps " + slots());
            }
            NDArray[] arrays = state.computeIfAbsent(name.substring(0, hash), n -> new NDArray[slots()]);
            NDArray copy = a.duplicate();
            copy.attach(manager);
            arrays[slot] = copy;
        }
        if (restoredSteps == null) {
            throw new IllegalArgumentException("optimizer state has no #steps entry");
        }
        for (Map.Entry<String, NDArray[]> e : state.entrySet()) {
            for (NDArray a : e.getValue()) {
                if (a == null) {
                    throw new IllegalArgumentException("optimizer state for '" + e.getKey() + "' is incomplete");
                }
            }
        }
        steps = restoredSteps;
    }

    @Override
    public void close() {
        manager.close();
    }


}
