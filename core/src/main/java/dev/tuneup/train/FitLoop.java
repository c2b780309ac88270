package dev.tuneup.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.tuneup.loader.Batch;
import dev.tuneup.model.Bf16;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The training loop, top to bottom: for each epoch, for each batch, forward, loss, backward,
 * clip, step; then validate, record, early-stop, checkpoint. All state lives in the
 * {@link TrainingSession}; the loop only drives it. A non-finite loss or gradient norm stops the run
 * (or skips the step) before anything is checkpointed from it.
 */
public final class FitLoop {
    private final TrainingSession s;
    private final List<FitListener> listeners;
    private double lastLr = Double.NaN;

    /**
     * @param listeners called in order at each event; early stopping and best-epoch tracking
     *                  ({@link EarlyStopping}, {@link BestKeeper}, sharing the config's monitor) run
     *                  after them
     */
    public FitLoop(TrainingSession session, List<FitListener> listeners) {
        this.s = session;
        List<FitListener> all = new ArrayList<>(listeners);
        all.add(new EarlyStopping(session)); // before BestKeeper: it compares with the best so far
        all.add(new BestKeeper(session));
        this.listeners = List.copyOf(all);
    }

    /** Runs to the end, an early stop, a divergence or a requested stop; says which. */
    public FitResult run() {
        TrainConfig c = s.config;
        while (s.pos.epoch < c.epochs()) {
            FitResult stop = trainEpoch();
            if (stop == null) {
                stop = nonFinite();
            }
            if (stop != null) {
                return finish(stop);
            }
            EpochMetrics m = Validation.endOfEpoch(s, epochLr());
            s.pos.history.add(m.row());
            listeners.forEach(l -> l.onEpochEnd(m));
            s.observe(m.get(c.monitor().metric()));
            s.pos.epoch++;
            s.pos.batch = 0;
            s.pos.lossSum = 0;
            s.pos.correct = 0;
            s.pos.seen = 0;
            checkpoint();
            if (s.stopReason() != null) {
                return finish(requested());
            }
        }
        return finish(result(StopReason.COMPLETED, "completed " + c.epochs() + " epochs"));
    }

    /** One epoch from the session's batch cursor; returns why it stopped, or null when it completes. */
    private FitResult trainEpoch() {
        int epoch = s.pos.epoch;
        int batches = s.train.batchesPerEpoch();
        listeners.forEach(l -> l.onEpochStart(epoch, batches, s.pos.batch));
        Iterator<Batch> it = s.train.epoch(epoch, s.manager, s.pos.batch);
        long wait0 = s.train.waitNanos();
        long t0 = System.nanoTime();
        while (it.hasNext()) {
            try (Batch b = it.next()) {
                double lr = s.lr();
                lastLr = lr;
                double loss = trainStep(b, lr);
                boolean finite = Double.isFinite(loss);
                if (!finite && s.config.divergence() == TrainConfig.Divergence.STOP) {
                    return result(StopReason.DIVERGED, "diverged: loss or gradient norm is " + loss + " at step "
                            + s.pos.step + " (no checkpoint written from it); lower the LR or clip gradients");
                }
                s.pos.step++;
                s.pos.batch++;
                if (!finite) {
                    s.pos.skipped++;
                }
                var end = new FitListener.BatchEnd(epoch, s.pos.batch - 1, batches, s.pos.step, loss, lr, !finite);
                listeners.forEach(l -> l.onBatchEnd(end));
            }
            boolean periodic = s.config.checkpointEvery() > 0 && s.pos.step % s.config.checkpointEvery() == 0;
            if ((periodic || s.stopReason() != null) && it.hasNext()) {
                FitResult bad = nonFinite();
                if (bad != null) {
                    return bad;
                }
                checkpoint();
                if (s.stopReason() != null) {
                    return requested();
                }
            }
        }
        Validation.timing(s, System.nanoTime() - t0, s.train.waitNanos() - wait0);
        return null;
    }

    /** One optimizer step; returns the loss, or a non-finite value when the step was not taken. */
    private double trainStep(Batch b, double lr) {
        return step(s, b, lr);
    }

    /**
     * The training step itself, shared with {@link LrFinder}: forward, loss (with label smoothing, L1,
     * and forward correction when the config has a noise matrix), backward, clipping, optimizer step at
     * {@code lr}, and the epoch's running sums in {@code s.pos}. Dropout is seeded from {@code s.pos.step}.
     * Returns the loss, or a non-finite value when the step was not taken.
     */
    static double step(TrainingSession s, Batch b, double lr) {
        // Dropout draws from the engine's generator: seeding it from the step makes a resumed run
        // draw exactly what an uninterrupted one would.
        Engine.getInstance().setRandomSeed((int) (s.config.seed() * 1_000_003L + s.pos.step));
        try (NDManager scope = NDManager.newBaseManager()) {
            for (ParamRef p : s.params) {
                if (p.weight().hasGradient()) {
                    p.gradient(scope).set(new NDIndex("..."), 0); // not g*0: a NaN from a skipped step must not survive
                }
            }
        }
        double lossValue;
        NDArray logits;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray all = s.bf16()
                    ? Bf16.toFloat32(s.forward(Bf16.store(b.manager()), new NDList(Bf16.toBf16(b.data())), true)
                            .singletonOrThrow())
                    : s.forward(new ParameterStore(b.manager(), false), new NDList(b.data()), true).singletonOrThrow();
            // with jsd views the first rows are the clean images the labels describe
            logits = b.views() > 1 ? all.get(new NDIndex("0:" + b.size())) : all;
            double[][] noise = s.config.noiseMatrix();
            NDArray logp = noise == null ? logits.logSoftmax(1) : Losses.forwardLogProbs(logits, noise);
            NDArray loss = b.targets() != null
                    ? Losses.softNll(logp, b.targets(), s.config.labelSmoothing())
                    : Losses.nll(logp, b.labels(), s.config.labelSmoothing());
            if (b.views() > 1) {
                loss = loss.add(Losses.jsd(all, b.views(), b.consistencyWeight()));
            }
            if (s.config.l1() > 0) {
                // |w| of each weight lands in the weight's manager: borrow them into the batch's for this step.
                List<NDArray> weights = s.params.stream().filter(p -> p.weightDecay() > 0).map(ParamRef::weight).toList();
                weights.forEach(w -> w.tempAttach(b.manager()));
                loss = loss.add(Losses.l1(weights, s.config.l1()));
            }
            lossValue = loss.getFloat();
            if (!Double.isFinite(lossValue)) {
                return lossValue;
            }
            gc.backward(loss);
        }
        double norm = Losses.clipGradNorm(s.params, s.config.clipNorm());
        if (!Double.isFinite(norm)) {
            return norm;
        }
        s.optimizer.step(s.params, lr);
        Validation.count(s, logits, b, lossValue);
        return lossValue;
    }

    private double epochLr() {
        return lastLr;
    }

    private void checkpoint() {
        Path folder = s.checkpoints.save(s.pos.step, s.snapshot(), BestKeeper.top(s));
        listeners.forEach(l -> l.onCheckpoint(folder, s.pos.step));
    }

    /**
     * A finite loss does not prove finite weights (an enormous LR overflows them in the update), so
     * before any checkpoint or validation the weights are checked: non-finite ones end the run as
     * diverged, and nothing is written from them.
     */
    private FitResult nonFinite() {
        String bad = dev.tuneup.model.Finite.firstNonFinite(s.model);
        return bad == null ? null : result(StopReason.DIVERGED, "diverged: the weights are non-finite after step "
                + s.pos.step + ", in " + bad + " (no checkpoint written from them); lower the LR or clip gradients");
    }

    private FitResult requested() {
        return result(s.stopReason(), s.stopDetail());
    }

    private FitResult result(StopReason reason, String detail) {
        return new FitResult(reason, detail, s.history());
    }

    private FitResult finish(FitResult r) {
        FitResult out = r;
        if (s.config.restoreBest()) {
            String note = BestKeeper.restore(s);
            out = note.isEmpty() ? r : new FitResult(r.reason(), r.detail() + note, r.history());
        }
        String detail = out.detail();
        listeners.forEach(l -> l.onStop(detail));
        return out;
    }
}
