package dev.tuneup.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneup.JsonFiles;
import dev.tuneup.loader.BatchLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Everything a training run holds, apart from the loop that drives it: the model and its parameter
 * groups, optimizer, schedule, loaders, config, and the position and history of the run. It turns
 * itself into checkpoint files and back, completely enough that a resumed run continues
 * bit-identically: weights (with normalisation statistics), optimizer state by parameter name,
 * step, epoch and batch cursor, the running sums of the current epoch, best value and patience,
 * and the history. RNG streams need no saving: the loader and dropout draw from (seed, position).
 */
public final class TrainingSession implements AutoCloseable {
    private static final ObjectMapper JSON = JsonFiles.MAPPER;

    final Block model;
    final Optimizer optimizer;
    final Schedule schedule;
    final BatchLoader train;
    final BatchLoader val;
    final TrainConfig config;
    final NDManager manager;
    final Checkpoints checkpoints;
    private final double weightDecay;
    private final Predicate<String> frozen;
    private boolean decayOneDim;
    private ToDoubleFunction<String> lrScale = name -> 1.0;
    /** The first this many top-level blocks of the model run in inference mode even while training. */
    private int inferenceBlocks;
    private boolean bf16;
    List<ParamRef> params;
    ParamGroups.Groups groups;

    /** Where the run is and what it has seen; all of it goes into checkpoints. */
    static final class Position {
        public int epoch;
        public int batch;
        public long step;
        public double lossSum;
        public long correct;
        public long seen;
        public long skipped;
        public double best = Double.NaN;
        public long bestStep = -1;
        public int badEpochs;
        /** The monitored value at each epoch-end checkpoint, by step (chooses the top-N kept). */
        public Map<Long, Double> scores = new LinkedHashMap<>();
        public List<Map<String, Object>> history = new ArrayList<>();
    }

    Position pos = new Position();
    /** A metric-driven schedule, used instead of {@link #schedule} when set. */
    private Schedules.PlateauSchedule plateau;
    /** Speed of the last epoch (not checkpointed: a resumed epoch measures its own). */
    double imagesPerSecond;
    double dataWait;
    private volatile StopReason stopReason;
    private volatile String stopDetail;

    public TrainingSession(Block model, NDManager manager, Optimizer optimizer, Schedule schedule, double weightDecay,
                           Predicate<String> frozen, BatchLoader train, BatchLoader val, TrainConfig config,
                           Checkpoints checkpoints) {
        this.model = model;
        this.manager = manager;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.weightDecay = weightDecay;
        this.frozen = frozen;
        this.train = train;
        this.val = val;
        this.config = config;
        this.checkpoints = checkpoints;
        regroup();
    }

    /** Rebuilds the parameter list (after weights are loaded, the arrays are new objects). */
    void regroup() {
        groups = ParamGroups.of(model, weightDecay, decayOneDim, frozen, lrScale);
        params = groups.params();
    }

    /** Applies weight decay to 1-D parameters (biases, norms) too; off by default. */
    public TrainingSession withDecayOneDim(boolean on) {
        this.decayOneDim = on;
        regroup();
        return this;
    }

    /**
     * Trains in bfloat16 mixed precision ({@link dev.tuneup.model.Bf16}): float32 weights and optimizer,
     * bf16 convolutions and dense layers in the training forward and backward. Validation stays float32.
     */
    public TrainingSession withBf16(boolean on) {
        this.bf16 = on;
        return this;
    }

    /** Whether training forwards run in bf16. */
    public boolean bf16() {
        return bf16;
    }

    /** Gives each parameter (by name) its own LR multiplier: discriminative learning rates. */
    public TrainingSession withLrScale(ToDoubleFunction<String> scale) {
        this.lrScale = scale;
        regroup();
        return this;
    }

    /**
     * Runs the first {@code n} top-level blocks of a {@link SequentialBlock} model in inference mode
     * during training too: their BatchNorm layers use and keep their running statistics (and their
     * dropout is off). For fine-tuning with frozen backbone statistics.
     */
    public TrainingSession withInferenceBlocks(int n) {
        if (n > 0 && !(model instanceof SequentialBlock seq && seq.getChildren().size() > n)) {
            throw new IllegalArgumentException("the model is not a sequence of more than " + n + " blocks");
        }
        this.inferenceBlocks = n;
        return this;
    }

    /** The model's forward pass, honouring {@link #withInferenceBlocks}. */
    NDList forward(ParameterStore ps, NDList input, boolean training) {
        if (!training || inferenceBlocks == 0) {
            return model.forward(ps, input, training);
        }
        NDList x = input;
        int i = 0;
        for (Block child : model.getChildren().values()) {
            x = child.forward(ps, x, i++ >= inferenceBlocks);
        }
        return x;
    }

    /** Drives the LR by the monitored metric instead of the step (reduce-on-plateau). */
    public TrainingSession withPlateau(Schedules.PlateauSchedule p) {
        this.plateau = p;
        return this;
    }

    /** The LR for the next step. */
    double lr() {
        return plateau != null ? plateau.lr() : schedule.at(pos.step, totalSteps());
    }

    /** Tells a plateau schedule the epoch's monitored value. */
    void observe(double metric) {
        if (plateau != null) {
            plateau.observe(metric);
        }
    }

    /** The network being trained. */
    public Block model() {
        return model;
    }

    public ParamGroups.Groups groups() {
        return groups;
    }

    public long totalSteps() {
        return (long) config.epochs() * train.batchesPerEpoch();
    }

    public long step() {
        return pos.step;
    }

    /** Ends the run after the current step, with a checkpoint (what SIGTERM does); {@code detail} says why. */
    public void requestStop(String detail) {
        requestStop(StopReason.STOPPED, detail);
    }

    /** Ends the run after the current step or epoch end, with a checkpoint. */
    void requestStop(StopReason reason, String detail) {
        stopReason = reason;
        stopDetail = detail;
    }

    /** Why a stop was asked for, or null. */
    StopReason stopReason() {
        return stopReason;
    }

    String stopDetail() {
        return stopDetail;
    }

    /** Loss, top-1 and top-5 accuracy of the current weights on {@code loader}'s images (inference mode). */
    public Scores evaluate(BatchLoader loader) {
        return Validation.evaluate(this, loader);
    }

    /** Training accuracy of the current epoch so far. */
    public double runningAccuracy() {
        return pos.seen == 0 ? Double.NaN : (double) pos.correct / pos.seen;
    }

    /** The run's history: one record per finished epoch (kept as metrics.csv rows in the checkpoint). */
    public List<EpochMetrics> history() {
        return pos.history.stream().map(EpochMetrics::of).toList();
    }

    /** The checkpoint files: model.params, optimizer.ndlist, position.json. */
    Map<String, byte[]> snapshot() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.params", modelBytes());
        try (NDList state = optimizer.exportState()) { // copies: freed once encoded
            files.put("optimizer.ndlist", state.encode());
        }
        try {
            files.put("position.json", JSON.writeValueAsBytes(pos));
            if (plateau != null) {
                files.put("plateau.json", JSON.writeValueAsBytes(plateau.state()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    byte[] modelBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            model.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    void loadModel(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            model.loadParameters(manager, in);
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new IllegalStateException("cannot load model weights: " + e.getMessage(), e);
        }
        regroup();
    }

    /** Puts the run back where {@code loaded} left it. */
    void restore(Checkpoints.Loaded loaded) {
        loadModel(loaded.files().get("model.params"));
        try (NDManager tmp = NDManager.newBaseManager()) {
            optimizer.importState(NDList.decode(tmp, loaded.files().get("optimizer.ndlist")));
        }
        try {
            pos = JsonFiles.read(loaded.files().get("position.json"), Position.class);
            if (plateau != null && loaded.files().containsKey("plateau.json")) {
                plateau.restore(JsonFiles.read(loaded.files().get("plateau.json"), Schedules.PlateauSchedule.State.class));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read position.json: " + e.getMessage(), e);
        }
    }

    /** Resumes from the newest intact checkpoint; returns it (with warnings), or null for a fresh run; see {@link Checkpoints#resumePoint}. */
    public Checkpoints.Loaded resume(boolean restart) {
        Checkpoints.Loaded l = checkpoints.resumePoint(restart);
        if (l != null) {
            restore(l);
        }
        return l;
    }

    @Override
    public void close() {
        optimizer.close();
        train.close();
        if (val != null) {
            val.close();
        }
    }
}
